package dev.tessera.engine.features;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The FGD target workload T ("typical pods", policies.md §6.1): the most popular pod classes
 * covering at least the popularity threshold of the original pods, each with its probability p_t.
 *
 * <p>{@link Fragmentation} compiles it into column arrays for allocation-free scans.
 *
 * @param classes the taken classes in T order (count descending, then key descending)
 * @param totalWeight N, number of pods the workload was built from
 * @param cumulative cum, number of pods covered by the taken classes
 */
public record TargetWorkload(List<TypicalPod> classes, int totalWeight, int cumulative) {
  /** The threshold the paper's runs use (percent). */
  public static final int DEFAULT_POPULARITY_THRESHOLD = 95;

  /**
   * One pod class of T.
   *
   * @param cpuMilli non-zero CPU request, milli
   * @param gpuMilli m per GPU (0 for CPU-only)
   * @param gpuCount k (0 for CPU-only)
   * @param gpuSpec GPU-type spec, empty for none
   * @param count pods of this class in the original workload
   * @param probability p_t = (count/N)/(cum/N)
   */
  public record TypicalPod(
      long cpuMilli, int gpuMilli, int gpuCount, String gpuSpec, int count, double probability) {}

  public TargetWorkload {
    classes = List.copyOf(classes);
  }

  /** T for the paper's settings: threshold 95 %, step 1, CPU-only pods included, weight 1 each. */
  public static TargetWorkload fromPods(List<FgdPod> originals) {
    return fromPods(originals, DEFAULT_POPULARITY_THRESHOLD);
  }

  /**
   * T built from the original pods (before tuning or shuffling): classes keyed by (non-zero CPU, m,
   * k, spec), memory ignored; sorted by count descending, ties by key descending; the shortest
   * prefix whose count reaches {@code thresholdPercent} of N is taken.
   */
  public static TargetWorkload fromPods(List<FgdPod> originals, int thresholdPercent) {
    if (originals.isEmpty()) {
      throw new IllegalArgumentException("target workload needs at least one pod");
    }
    record Key(long cpu, int m, int k, String spec) {}
    Map<Key, Integer> counts = new HashMap<>();
    for (FgdPod p : originals) {
      int m = p.isCpuOnly() ? 0 : p.gpuMilli();
      int k = p.isCpuOnly() ? 0 : p.gpuCount();
      counts.merge(new Key(p.nonZeroCpu(), m, k, p.gpuSpec()), 1, Integer::sum);
    }
    Comparator<Map.Entry<Key, Integer>> byKeyDesc =
        Comparator.<Map.Entry<Key, Integer>>comparingLong(e -> e.getKey().cpu())
            .thenComparingInt(e -> e.getKey().m())
            .thenComparingInt(e -> e.getKey().k())
            .thenComparing(e -> e.getKey().spec());
    List<Map.Entry<Key, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(
        Comparator.<Map.Entry<Key, Integer>>comparingInt(Map.Entry::getValue)
            .thenComparing(byKeyDesc)
            .reversed());
    int n = originals.size();
    int cum = 0;
    int taken = 0;
    // cum < threshold·N/100 evaluated exactly in integers
    while (taken < sorted.size() && 100L * cum < (long) thresholdPercent * n) {
      cum += sorted.get(taken).getValue();
      taken++;
    }
    double cumShare = (double) cum / n;
    List<TypicalPod> out = new ArrayList<>(taken);
    for (int i = 0; i < taken; i++) {
      var e = sorted.get(i);
      double p = ((double) e.getValue() / n) / cumShare;
      Key key = e.getKey();
      out.add(new TypicalPod(key.cpu(), key.m(), key.k(), key.spec(), e.getValue(), p));
    }
    return new TargetWorkload(Collections.unmodifiableList(out), n, cum);
  }

  /** Number of classes in T. */
  public int size() {
    return classes.size();
  }
}
