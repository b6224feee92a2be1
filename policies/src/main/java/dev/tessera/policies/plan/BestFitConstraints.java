package dev.tessera.policies.plan;

import java.math.BigDecimal;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * The FGD paper's BestFit baseline as constraints (policies.md §5.5). Hard: the engine's device
 * fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD features
 * ({@link FgdPoints#bestFit}) on the usage just before the pod.
 */
public final class BestFitConstraints implements ConstraintProvider {
  public static final String NAME = "bestfit";

  /** Soft constraint name. */
  public static final String TIGHTEST_FIT =
      "Nodes left with the least free CPU and GPU score higher (BestFit)";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {
      PlacementStreams.deviceFit(factory), score(factory),
    };
  }

  Constraint score(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(
        factory, TIGHTEST_FIT, o -> BigDecimal.valueOf(FgdPoints.bestFit(o)));
  }
}
