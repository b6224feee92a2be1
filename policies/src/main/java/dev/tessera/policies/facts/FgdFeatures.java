package dev.tessera.policies.facts;

/**
 * What the FGD paper's policy rules (random, dotprod, gpu-clustering, gpu-packing, bestfit, fgd)
 * know about one candidate node for one pod: the engine fit's verdict and the paper's node scores
 * (policies.md §5, §6), computed in Java on first read. Rules only read it.
 *
 * <p>{@code randomlyPicked} is this decision's seeded draw among the candidates (Random's PreScore,
 * §5.1), made by the caller because rules may not hold random state.
 */
public final class FgdFeatures implements Candidate {
  private final FgdFit fit;
  private final boolean randomlyPicked;

  /**
   * @param fit the pod's fit and scores on the node (may be shared between decisions)
   * @param randomlyPicked whether this decision's seeded draw picked this node
   */
  public FgdFeatures(FgdFit fit, boolean randomlyPicked) {
    this.fit = fit;
    this.randomlyPicked = randomlyPicked;
  }

  @Override
  public String node() {
    return fit.state().node();
  }

  @Override
  public boolean fits() {
    return fit.fits();
  }

  /** HAMi's reason when the pod does not fit, else {@code ""}. */
  public String reason() {
    return fit.reason();
  }

  /** Whether this decision's seeded draw picked this node (Random, §5.1). */
  public boolean isRandomlyPicked() {
    return randomlyPicked;
  }

  /** Whether the pod asks for GPUs at all. */
  public boolean isGpuPod() {
    return !fit.pod().isCpuOnly();
  }

  /** DotProd score (§5.2), 0..100: a smaller normalised dot product scores higher. */
  public int getDotProduct() {
    return fit.dotProduct();
  }

  /** GpuClustering score (§5.3), 0..100: pods of the same kind cluster on busy nodes. */
  public int getGpuClustering() {
    return fit.gpuClustering();
  }

  /** GpuPacking score (§5.4), 0..100: partly used GPUs, then partly used nodes, first. */
  public int getGpuPacking() {
    return fit.gpuPacking();
  }

  /** BestFit raw score (§5.5), 0..100: least CPU and GPU left after the pod scores highest. */
  public int getBestFit() {
    return fit.bestFit();
  }

  /** FGD score (§6.3), 0..100: 50 when fragmentation is unchanged, higher when it drops. */
  public int getFgd() {
    return fit.fgd();
  }

  /** The node's fragmentation before the pod, milli-GPU (§6.2). */
  public double getFragmentation() {
    return fit.state().frag();
  }

  /** The fit and node state behind these features. */
  public FgdFit fit() {
    return fit;
  }

  @Override
  public String toString() {
    return "FgdFeatures[" + node() + (fits() ? "" : " (does not fit)") + "]";
  }
}
