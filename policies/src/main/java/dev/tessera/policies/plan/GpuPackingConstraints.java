package dev.tessera.policies.plan;

/**
 * The FGD paper's GpuPacking baseline as constraints (policies.md §5.4). Hard: the engine's device
 * fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD features
 * ({@link FgdPoints#gpuPacking}) on the usage just before the pod.
 */
public final class GpuPackingConstraints extends FgdScoreConstraints {
  public static final String NAME = "gpu-packing";

  /** Soft constraint name. */
  public static final String PARTLY_USED_GPUS_FIRST =
      "Pods go to partly used GPUs before idle GPUs and idle nodes (GpuPacking)";

  public GpuPackingConstraints() {
    super(PARTLY_USED_GPUS_FIRST, FgdPoints::gpuPacking);
  }
}
