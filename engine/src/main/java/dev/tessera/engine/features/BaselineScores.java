package dev.tessera.engine.features;

/**
 * The baseline node scores of the FGD paper (policies.md §5), each an integer in [0,100] for a
 * feasible node; higher wins and ties go to the smallest node rank. Pure functions over primitive
 * node state ({@code cpuLeft} milli, {@code idle} milli per GPU, never mutated).
 */
public final class BaselineScores {
  /** CPU and GPU scales of the {@code max} normalisation: the largest node (§1, §5.2). */
  public static final double MAX_CPU_MILLI = 128000.0;

  public static final double MAX_GPU_MILLI = 8000.0;

  private BaselineScores() {}

  /** Random (§5.1): 100 for the node the PreScore draw picked, 0 for every other node. */
  public static int random(boolean picked) {
    return picked ? 100 : 0;
  }

  /**
   * DotProd (§5.2, merge/max): trunc(100·(1 − ip/2)) with ip = (c/128000)(cpu/128000) +
   * (L/8000)(k·m/8000); 0 if the pod's CPU does not fit.
   */
  public static int dotProduct(long cpuLeft, long idleTotal, FgdPod pod) {
    long cpu = pod.nonZeroCpu();
    if (cpuLeft < cpu) {
      return 0;
    }
    double a0 = cpuLeft / MAX_CPU_MILLI;
    double a1 = idleTotal / MAX_GPU_MILLI;
    double b0 = cpu / MAX_CPU_MILLI;
    double b1 = pod.gpuDemand() / MAX_GPU_MILLI;
    double ip = 0.0;
    ip += a0 * b0;
    ip += a1 * b1;
    return (int) (100 * (1 - ip / 2));
  }

  /**
   * GpuClustering (§5.3): T = 25·(8000 − L) div 8000 plus 75/50/25/0 by whether the pod's tag is on
   * the node and how many distinct tags the node holds; 0 for CPU-only pods.
   *
   * @param tagPresent whether the node already holds a pod with {@link FgdPod#gpuTag()}
   * @param distinctTags |A_n|, distinct GPU tags of the pods on the node
   */
  public static int gpuClustering(
      long idleTotal, boolean tagPresent, int distinctTags, FgdPod pod) {
    if (pod.isCpuOnly()) {
      return 0;
    }
    int t = (int) ((25 * (8000 - idleTotal)) / 8000);
    if (tagPresent) {
      return (distinctTags == 1 ? 75 : 50) + t;
    }
    return (distinctTags == 0 ? 25 : 0) + t;
  }

  /**
   * GpuPacking (§5.4): untouched node max(33 − G, G); otherwise walk GPUs by ascending idle (index
   * on ties) taking those with I_j ≥ m until k are taken; u fully idle among them gives max(50 − u,
   * 33), else max(100 − (Σ (I_j·100) div 1000) div 10, 50). 0 for CPU-only pods.
   */
  public static int gpuPacking(int[] idle, FgdPod pod) {
    if (pod.isCpuOnly()) {
      return 0;
    }
    int g = idle.length;
    if (FgdMath.fullyIdle(idle) == g) {
      return Math.max(33 - g, g);
    }
    int m = pod.gpuMilli();
    int k = pod.gpuCount();
    // Selection of the k smallest eligible (idle, index) pairs without sorting: G ≤ 8.
    long taken = 0; // bitmask of taken indices
    int u = 0;
    long s = 0;
    for (int n = 0; n < k; n++) {
      int pick = -1;
      for (int j = 0; j < g; j++) {
        if ((taken & (1L << j)) == 0 && idle[j] >= m && (pick < 0 || idle[j] < idle[pick])) {
          pick = j;
        }
      }
      if (pick < 0) {
        break;
      }
      taken |= 1L << pick;
      if (idle[pick] == 1000) {
        u++;
      }
      s += (idle[pick] * 100L) / 1000;
    }
    if (u > 0) {
      return Math.max(50 - u, 33);
    }
    return (int) Math.max(100 - s / 10, 50);
  }

  /**
   * BestFit raw score (§5.5): trunc((1 − s)·100) with s = ((c − cpu)/128000)·0.5 + ((L −
   * k·m)/8000)·0.5; min-max normalise over feasible nodes with {@link #normalize}. −1 if the pod
   * does not fit.
   */
  public static int bestFitRaw(long cpuLeft, long idleTotal, FgdPod pod) {
    long cpu = pod.nonZeroCpu();
    long demand = pod.gpuDemand();
    if (cpuLeft < cpu || idleTotal < demand) {
      return -1;
    }
    double s = 0.0;
    s += ((cpuLeft - cpu) / MAX_CPU_MILLI) * 0.5;
    s += ((idleTotal - demand) / MAX_GPU_MILLI) * 0.5;
    return (int) ((1 - s) * 100);
  }

  /**
   * Min-max normalisation in place (§3.4): s' = ((s − lo)·100) div (hi − lo), all 0 when hi = lo.
   * Order-preserving, so it never changes the winner.
   */
  public static void normalize(int[] scores, int length) {
    if (length == 0) {
      return;
    }
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int i = 0; i < length; i++) {
      lo = Math.min(lo, scores[i]);
      hi = Math.max(hi, scores[i]);
    }
    for (int i = 0; i < length; i++) {
      scores[i] = hi == lo ? 0 : (int) (((long) scores[i] - lo) * 100 / (hi - lo));
    }
  }
}
