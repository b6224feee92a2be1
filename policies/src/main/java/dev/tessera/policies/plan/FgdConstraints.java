package dev.tessera.policies.plan;

import java.math.BigDecimal;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * The FGD paper's fragmentation gradient descent as constraints (policies.md §6.3). Hard: the
 * engine's device fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD
 * features ({@link FgdPoints#fgd}) on the usage just before the pod.
 */
public final class FgdConstraints implements ConstraintProvider {
  public static final String NAME = "fgd";

  /** Soft constraint name. */
  public static final String REDUCE_FRAGMENTATION =
      "Placements that reduce GPU fragmentation score higher (FGD)";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {
      PlacementStreams.deviceFit(factory), score(factory),
    };
  }

  Constraint score(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(
        factory, REDUCE_FRAGMENTATION, o -> BigDecimal.valueOf(FgdPoints.fgd(o)));
  }
}
