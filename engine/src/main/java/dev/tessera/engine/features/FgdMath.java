package dev.tessera.engine.features;

/**
 * Filter and GPU-selection rules of the FGD simulator (policies.md §3.1, §4 "best"), as pure
 * functions over primitive node state so that a replay loop can call them without allocating.
 * Arrays passed in are never mutated.
 */
public final class FgdMath {
  /** Pods a node may hold (§1): allocatable pod count. */
  public static final int MAX_PODS_PER_NODE = 1001;

  private static final int[] NO_GPUS = new int[0];

  private FgdMath() {}

  /** L = Σ I_j, milli. */
  public static long idleSum(int[] idle) {
    long s = 0;
    for (int i : idle) {
      s += i;
    }
    return s;
  }

  /** Number of fully idle GPUs F (I_j = 1000). */
  public static int fullyIdle(int[] idle) {
    int f = 0;
    for (int i : idle) {
      if (i == 1000) {
        f++;
      }
    }
    return f;
  }

  /**
   * True iff the node passes §3.1: CPU and memory fit (raw requests), pod count stays ≤ 1001, and
   * for GPU pods the type is admitted (§3.2) and the k units of m milli can be placed greedily in
   * index order.
   */
  public static boolean feasible(
      long cpuLeft, long memLeft, int podsOnNode, int[] idle, String model, FgdPod pod) {
    if (pod.cpuMilli() > cpuLeft || pod.memoryMib() > memLeft) {
      return false;
    }
    if (podsOnNode + 1 > MAX_PODS_PER_NODE) {
      return false;
    }
    if (pod.isCpuOnly()) {
      return true;
    }
    if (idle.length == 0 || !GpuTypes.admits(pod.gpuSpec(), model)) {
      return false;
    }
    return gpusFit(idle, pod.gpuCount(), pod.gpuMilli());
  }

  /**
   * The node-level {@link #feasible} for a snapshot; {@code podsOnNode} as in the primitive form.
   */
  public static boolean feasible(FgdNode node, int podsOnNode, FgdPod pod) {
    return feasible(
        node.cpuMilliLeft(), node.memoryMibLeft(), podsOnNode, node.idleView(), node.model(), pod);
  }

  /** Open-Gpu-Share's GPU check: k units of m milli placed greedily in index order (§3.1). */
  public static boolean gpusFit(int[] idle, int k, int m) {
    if (k == 1) {
      for (int i : idle) {
        if (i >= m) {
          return true;
        }
      }
      return false;
    }
    int placed = 0;
    for (int i : idle) {
      int rem = i;
      while (rem >= m && placed < k) {
        rem -= m;
        placed++;
      }
      if (placed == k) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code best} selector (§4): a sharing pod gets the GPU with the smallest I_j ≥ m (lowest
   * index on ties); a whole-GPU pod the k lowest-index fully idle GPUs; a CPU-only pod none.
   * Returns GPU indices, or an empty array when the pod does not fit.
   */
  public static int[] bestGpus(int[] idle, FgdPod pod) {
    if (pod.isCpuOnly()) {
      return NO_GPUS;
    }
    if (pod.isSharing()) {
      int best = -1;
      for (int j = 0; j < idle.length; j++) {
        if (idle[j] >= pod.gpuMilli() && (best < 0 || idle[j] < idle[best])) {
          best = j;
        }
      }
      return best < 0 ? NO_GPUS : new int[] {best};
    }
    return lowestFullyIdle(idle, pod.gpuCount());
  }

  /** The k lowest-index fully idle GPUs, or an empty array when fewer than k are fully idle. */
  public static int[] lowestFullyIdle(int[] idle, int k) {
    int[] out = new int[k];
    int n = 0;
    for (int j = 0; j < idle.length && n < k; j++) {
      if (idle[j] == 1000) {
        out[n++] = j;
      }
    }
    return n == k ? out : NO_GPUS;
  }
}
