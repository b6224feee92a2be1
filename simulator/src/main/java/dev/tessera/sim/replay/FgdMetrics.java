package dev.tessera.sim.replay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The FGD paper's discretised metrics (policies.md §9.2): per "arrived X % of capacity" bucket, the
 * mean allocation %, fragmentation as % of capacity and fragmentation ratio %, rounded as the
 * paper's Python scripts do (half-even on the exact double, numpy pairwise means).
 */
public final class FgdMetrics {
  /** Metric names as in {@code openb-default-expected.csv}. */
  public static final String ALLOC = "alloc_pct";

  public static final String FRAG_AMOUNT = "frag_amount_pct_of_capacity";
  public static final String FRAG_RATIO = "frag_ratio_pct";

  private FgdMetrics() {}

  /**
   * metric → value at each X of {@code columns} (absent when no event qualifies), for a cluster of
   * {@code totalGpus}.
   */
  public static Map<String, Map<Integer, Double>> discretise(
      List<ReplayEvent> events, int totalGpus, int[] columns) {
    int e = events.size();
    int[] r = new int[e];
    double[] alloc = new double[e];
    double[] fragPrinted = new double[e];
    double[] ratioPrinted = new double[e];
    for (int i = 0; i < e; i++) {
      ReplayEvent ev = events.get(i);
      r[i] = (int) round((double) ev.arrivedMilli() / totalGpus / 10, 0);
      alloc[i] = round((double) ev.allocatedMilli() / totalGpus / 10, 2);
      fragPrinted[i] = round(ev.fragMilli(), 2);
      ratioPrinted[i] = round(100 * ev.fragMilli() / ev.idleMilli(), 2);
    }
    Map<String, Map<Integer, Double>> out = new LinkedHashMap<>();
    out.put(ALLOC, new LinkedHashMap<>());
    out.put(FRAG_AMOUNT, new LinkedHashMap<>());
    out.put(FRAG_RATIO, new LinkedHashMap<>());
    for (int x : columns) {
      List<Integer> idx = select(r, x, x);
      if (idx.isEmpty()) {
        idx = select(r, x - 1, x + 1);
      }
      if (idx.isEmpty()) {
        continue;
      }
      out.get(ALLOC).put(x, round(mean(alloc, idx).getAsDouble(), 2));
      out.get(FRAG_AMOUNT)
          .put(x, round(100 * mean(fragPrinted, idx).getAsDouble() / 1000 / totalGpus, 2));
      out.get(FRAG_RATIO).put(x, round(mean(ratioPrinted, idx).getAsDouble(), 2));
    }
    return out;
  }

  private static List<Integer> select(int[] r, int lo, int hi) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < r.length; i++) {
      if (r[i] >= lo && r[i] <= hi) {
        idx.add(i);
      }
    }
    return idx;
  }

  private static OptionalDouble mean(double[] values, List<Integer> idx) {
    double[] v = new double[idx.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[idx.get(i)];
    }
    return v.length == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(pairwiseSum(v, 0, v.length) / v.length);
  }

  /** numpy's pairwise summation (block 128, 8 interleaved accumulators), bit-exact. */
  public static double pairwiseSum(double[] a, int from, int n) {
    if (n < 8) {
      double res = 0.0;
      for (int i = 0; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    if (n <= 128) {
      double[] r = new double[8];
      for (int j = 0; j < 8; j++) {
        r[j] = a[from + j];
      }
      int i;
      for (i = 8; i < n - (n % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    int n2 = n / 2;
    n2 -= n2 % 8;
    return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
  }

  /** Python's {@code round(x, digits)} / Go's {@code %.Nf}: half-even on the exact double. */
  public static double round(double x, int digits) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
  }
}
