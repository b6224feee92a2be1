package dev.tessera.policies.plan;

/**
 * The FGD paper's GpuClustering baseline as constraints (policies.md §5.3). Hard: the engine's
 * device fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD features
 * ({@link FgdPoints#gpuClustering}) on the usage just before the pod.
 */
public final class GpuClusteringConstraints extends FgdScoreConstraints {
  public static final String NAME = "gpu-clustering";

  /** Soft constraint name. */
  public static final String SAME_SHAPE_TOGETHER =
      "Pods join nodes already running pods of the same GPU shape (GpuClustering)";

  public GpuClusteringConstraints() {
    super(SAME_SHAPE_TOGETHER, FgdPoints::gpuClustering);
  }
}
