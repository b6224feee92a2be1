package dev.tessera.policies.facts;

import dev.tessera.engine.features.BaselineScores;
import dev.tessera.engine.features.FgdMath;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.FgdScore;
import java.util.random.RandomGenerator;

/**
 * One pod shape on one node state: the engine fit's verdict and the FGD paper's node scores
 * (policies.md §5, §6.3), each computed on first use and then kept, so a cache keyed by (node
 * state, pod shape) pays for every score at most once. Scores are integers in [0,100] for a node
 * the pod fits on (−1 otherwise). Not thread-safe.
 */
public final class FgdFit {
  private static final int UNSET = Integer.MIN_VALUE;

  private final FgdNodeState state;
  private final FgdPod pod;
  private final boolean fits;
  private final String reason;
  private int dotProduct = UNSET;
  private int gpuClustering = UNSET;
  private int gpuPacking = UNSET;
  private int bestFit = UNSET;
  private int fgd = UNSET;
  private int[] fgdGpus;

  /**
   * @param state the node before the pod
   * @param pod the pod's shape (CPU, memory, k, m, type spec)
   * @param fits whether the engine's fit places the pod on the node
   * @param reason HAMi's reason when it does not, else {@code ""}
   */
  public FgdFit(FgdNodeState state, FgdPod pod, boolean fits, String reason) {
    this.state = state;
    this.pod = pod;
    this.fits = fits;
    this.reason = reason == null ? "" : reason;
  }

  public FgdNodeState state() {
    return state;
  }

  public FgdPod pod() {
    return pod;
  }

  public boolean fits() {
    return fits;
  }

  public String reason() {
    return reason;
  }

  /** DotProd (§5.2). */
  public int dotProduct() {
    if (dotProduct == UNSET) {
      dotProduct = BaselineScores.dotProduct(state.cpuLeft(), state.idleTotal(), pod);
    }
    return dotProduct;
  }

  /** GpuClustering (§5.3). */
  public int gpuClustering() {
    if (gpuClustering == UNSET) {
      var tags = state.tags();
      gpuClustering =
          BaselineScores.gpuClustering(
              state.idleTotal(), tags.contains(pod.gpuTag()), tags.size(), pod);
    }
    return gpuClustering;
  }

  /** GpuPacking (§5.4). */
  public int gpuPacking() {
    if (gpuPacking == UNSET) {
      gpuPacking = BaselineScores.gpuPacking(state.idleView(), pod);
    }
    return gpuPacking;
  }

  /**
   * BestFit's raw score (§5.5). The paper min-max normalises it over the feasible nodes, which is
   * order-preserving and injective on these integers, so ranking by the raw score picks the same
   * node and the same ties.
   */
  public int bestFit() {
    if (bestFit == UNSET) {
      bestFit = BaselineScores.bestFitRaw(state.cpuLeft(), state.idleTotal(), pod);
    }
    return bestFit;
  }

  /** FGD (§6.3): 50 when fragmentation is unchanged, above when placing the pod lowers it. */
  public int fgd() {
    if (fgd == UNSET) {
      fgd =
          FgdScore.score(
              state.fragmentation(),
              state.cpuLeft(),
              state.idleView(),
              state.model(),
              state.frag(),
              pod);
    }
    return fgd;
  }

  /**
   * GPU indices the pod gets under {@code selector} (a {@link DevicePick} selector); empty for a
   * CPU-only pod or when nothing fits. {@code random} draws from {@code rng} for sharing pods
   * (reservoir sampling in index order, §4), otherwise it uses no randomness.
   */
  public int[] gpus(String selector, RandomGenerator rng) {
    int[] idle = state.idleView();
    switch (selector) {
      case DevicePick.FGD:
        if (fgdGpus == null) {
          fgdGpus =
              FgdScore.selectGpus(
                  state.fragmentation(), state.cpuLeft(), idle, state.model(), state.frag(), pod);
        }
        return fgdGpus.clone();
      case DevicePick.RANDOM:
        if (pod.isSharing()) {
          int pick = -1;
          int seen = 0;
          for (int j = 0; j < idle.length; j++) {
            if (idle[j] >= pod.gpuMilli() && rng.nextInt(++seen) == 0) {
              pick = j;
            }
          }
          return pick < 0 ? new int[0] : new int[] {pick};
        }
        return FgdMath.bestGpus(idle, pod);
      case DevicePick.BEST:
        return FgdMath.bestGpus(idle, pod);
      default:
        throw new IllegalArgumentException("unknown GPU selector \"" + selector + "\"");
    }
  }
}
