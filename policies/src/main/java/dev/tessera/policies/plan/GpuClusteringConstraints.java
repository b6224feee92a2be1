package dev.tessera.policies.plan;

import java.math.BigDecimal;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * The FGD paper's GpuClustering baseline as constraints (policies.md §5.3). Hard: the engine's
 * device fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD features
 * ({@link FgdPoints#gpuClustering}) on the usage just before the pod.
 */
public final class GpuClusteringConstraints implements ConstraintProvider {
  public static final String NAME = "gpu-clustering";

  /** Soft constraint name. */
  public static final String SAME_SHAPE_TOGETHER =
      "Pods join nodes already running pods of the same GPU shape (GpuClustering)";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {
      PlacementStreams.deviceFit(factory), score(factory),
    };
  }

  Constraint score(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(
        factory, SAME_SHAPE_TOGETHER, o -> BigDecimal.valueOf(FgdPoints.gpuClustering(o)));
  }
}
