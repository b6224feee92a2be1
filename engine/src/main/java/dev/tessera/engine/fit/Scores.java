package dev.tessera.engine.fit;

import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import java.util.List;

/**
 * Device and node scores (hami-compat §7.3, §7.4), in float32 exactly as HAMi computes them. Higher
 * means busier.
 */
public final class Scores {
  private Scores() {}

  /**
   * Score of device {@code d} for the requests of one container: 10 × weighted sum of slot, core
   * and memory ratios including the requests whose type equals the device type exactly.
   */
  public static float deviceScore(DeviceUsage d, List<GpuRequest> requests, ScoringWeights w) {
    if (d.count() == 0 || d.totalCores() == 0 || d.totalMemMiB() == 0) {
      return 0f;
    }
    long n = 0;
    long c = 0;
    long m = 0;
    String type = d.type();
    for (GpuRequest r : requests) {
      if (!type.equals(r.type())) {
        continue;
      }
      n++;
      c += r.cores();
      m += requestMemMiB(d, r);
    }
    return weighted(d, n, c, m, w);
  }

  /**
   * Score of one request on device {@code d} (the single-request common case); equals {@link
   * #deviceScore(DeviceUsage, List, ScoringWeights)} with a one-element list, without the list.
   */
  public static float deviceScore(DeviceUsage d, GpuRequest r, ScoringWeights w) {
    if (d.count() == 0 || d.totalCores() == 0 || d.totalMemMiB() == 0) {
      return 0f;
    }
    long n = 0;
    long c = 0;
    long m = 0;
    if (d.type().equals(r.type())) {
      n = 1;
      c = r.cores();
      m = requestMemMiB(d, r);
    }
    return weighted(d, n, c, m, w);
  }

  /** A request's memory term on {@code d}: a percentage (not 0, not unset) wins over MiB here. */
  private static long requestMemMiB(DeviceUsage d, GpuRequest r) {
    int pct = r.memoryPercent();
    return (pct != 0 && pct != GpuRequest.PERCENT_UNSET)
        ? (long) d.totalMemMiB() * pct / 100
        : r.memoryMiB();
  }

  /** 10 × weighted ratio sum, each ratio a float32 division and the sum left to right, as in Go. */
  private static float weighted(DeviceUsage d, long n, long c, long m, ScoringWeights w) {
    float slot = (float) (n + d.used()) / (float) d.count();
    float core = (float) (c + d.usedCores()) / (float) d.totalCores();
    float mem = (float) (m + d.usedMemMiB()) / (float) d.totalMemMiB();
    float sum = (float) w.slot() * slot + (float) w.core() * core + (float) w.memory() * mem;
    return 10f * sum;
  }

  /**
   * Node score from usage before the pod: 10 × (Σused/Σcount + Σusedcores/Σtotalcore +
   * Σusedmem/Σtotalmem); 0 when any total is 0.
   */
  public static float nodeScore(List<DeviceUsage> devices) {
    long used = 0;
    long count = 0;
    long usedCores = 0;
    long totalCores = 0;
    long usedMem = 0;
    long totalMem = 0;
    for (DeviceUsage d : devices) {
      used += d.used();
      count += d.count();
      usedCores += d.usedCores();
      totalCores += d.totalCores();
      usedMem += d.usedMemMiB();
      totalMem += d.totalMemMiB();
    }
    if (count == 0 || totalCores == 0 || totalMem == 0) {
      return 0f;
    }
    float sum =
        (float) used / (float) count
            + (float) usedCores / (float) totalCores
            + (float) usedMem / (float) totalMem;
    return 10f * sum;
  }

  /**
   * Node ordering: the extender sorts fitting nodes with this and takes the last. Spread sorts by
   * score descending, everything else ascending.
   */
  public static boolean nodeLess(String nodePolicy, float scoreI, float scoreJ) {
    if ("spread".equals(nodePolicy)) {
      return scoreI > scoreJ;
    }
    return scoreI < scoreJ;
  }
}
