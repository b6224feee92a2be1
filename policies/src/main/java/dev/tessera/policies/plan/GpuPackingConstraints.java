package dev.tessera.policies.plan;

import java.math.BigDecimal;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * The FGD paper's GpuPacking baseline as constraints (policies.md §5.4). Hard: the engine's device
 * fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD features
 * ({@link FgdPoints#gpuPacking}) on the usage just before the pod.
 */
public final class GpuPackingConstraints implements ConstraintProvider {
  public static final String NAME = "gpu-packing";

  /** Soft constraint name. */
  public static final String PARTLY_USED_GPUS_FIRST =
      "Pods go to partly used GPUs before idle GPUs and idle nodes (GpuPacking)";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {
      PlacementStreams.deviceFit(factory), score(factory),
    };
  }

  Constraint score(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(
        factory, PARTLY_USED_GPUS_FIRST, o -> BigDecimal.valueOf(FgdPoints.gpuPacking(o)));
  }
}
