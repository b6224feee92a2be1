package dev.tessera.engine.features;

/**
 * The FGD policy (policies.md §6.3, §6.4): node score trunc(100·σ((F_before − F_after)/1000)) in
 * [0,100], 50 when fragmentation is unchanged, and the GPU choice at Reserve. Pure; the caller
 * supplies F_before so it can be memoised per node state.
 */
public final class FgdScore {
  private static final int[] NO_GPUS = new int[0];

  private FgdScore() {}

  /** trunc(100·σ(Δ/1000)) with σ(x) = 1/(1+e^(−x)); Δ = F_before − F_after in milli-GPU. */
  public static int fromDelta(double fragBefore, double fragAfter) {
    double x = (fragBefore - fragAfter) / 1000.0;
    return (int) (100.0 * (1.0 / (1.0 + StrictMath.exp(-x))));
  }

  /** The FGD score of placing {@code pod} on {@code node}, which must be feasible for it. */
  public static int score(Fragmentation frag, FgdNode node, FgdPod pod) {
    int[] idle = node.idleView();
    double before = frag.nodeFrag(node.cpuMilliLeft(), idle, node.model());
    return score(frag, node.cpuMilliLeft(), idle, node.model(), before, pod);
  }

  /**
   * The FGD score for a feasible node given as primitives; {@code fragBefore} must equal {@code
   * frag.nodeFrag(cpuLeft, idle, model)}. Sharing pods: max over GPUs j with I_j ≥ m of the score
   * after taking m from GPU j. Whole-GPU pods: k fully idle GPUs consumed. CPU-only: only CPU
   * changes. Returns −1 if the pod's GPUs do not fit.
   */
  public static int score(
      Fragmentation frag, long cpuLeft, int[] idle, String model, double fragBefore, FgdPod pod) {
    long c = cpuLeft - pod.nonZeroCpu();
    if (pod.isCpuOnly()) {
      return fromDelta(fragBefore, frag.nodeFrag(c, idle, model));
    }
    if (pod.isSharing()) {
      long best = bestSharing(frag, c, idle, model, fragBefore, pod.gpuMilli());
      return best < 0 ? -1 : (int) (best >>> 32);
    }
    int[] gpus = FgdMath.lowestFullyIdle(idle, pod.gpuCount());
    if (gpus.length == 0) {
      return -1;
    }
    int[] after = idle.clone();
    for (int j : gpus) {
      after[j] -= 1000;
    }
    return fromDelta(fragBefore, frag.nodeFrag(c, after, model));
  }

  /**
   * The FGD selector at Reserve (§6.4): sharing pod → the GPU with the largest score (first index
   * on ties); whole-GPU pod → the k lowest-index fully idle GPUs; CPU-only → none. Empty if no fit.
   */
  public static int[] selectGpus(Fragmentation frag, FgdNode node, FgdPod pod) {
    int[] idle = node.idleView();
    double before = frag.nodeFrag(node.cpuMilliLeft(), idle, node.model());
    return selectGpus(frag, node.cpuMilliLeft(), idle, node.model(), before, pod);
  }

  /** {@link #selectGpus(Fragmentation, FgdNode, FgdPod)} over primitives, F_before supplied. */
  public static int[] selectGpus(
      Fragmentation frag, long cpuLeft, int[] idle, String model, double fragBefore, FgdPod pod) {
    if (pod.isCpuOnly()) {
      return NO_GPUS;
    }
    if (pod.isSharing()) {
      long best =
          bestSharing(frag, cpuLeft - pod.nonZeroCpu(), idle, model, fragBefore, pod.gpuMilli());
      return best < 0 ? NO_GPUS : new int[] {(int) best};
    }
    return FgdMath.lowestFullyIdle(idle, pod.gpuCount());
  }

  /**
   * The GPU a sharing pod of {@code m} milli should take, packed as score·2^32 + index, or −1 when
   * none fits: the first index with the strictly greatest score. GPUs with an idle value seen at a
   * lower index give the same F_after (F depends only on the multiset of idle values) so they are
   * skipped.
   */
  private static long bestSharing(
      Fragmentation frag, long cAfter, int[] idle, String model, double before, int m) {
    int best = -1;
    int bestScore = Integer.MIN_VALUE;
    outer:
    for (int j = 0; j < idle.length; j++) {
      if (idle[j] < m) {
        continue;
      }
      for (int i = 0; i < j; i++) {
        if (idle[i] == idle[j]) {
          continue outer;
        }
      }
      int s = fromDelta(before, frag.nodeFrag(cAfter, idle, j, idle[j] - m, model));
      if (s > bestScore) {
        bestScore = s;
        best = j;
      }
    }
    return best < 0 ? -1 : ((long) bestScore << 32) | best;
  }
}
