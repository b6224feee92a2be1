package dev.tessera.policies.plan;

import java.math.BigDecimal;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * The FGD paper's DotProd baseline as constraints (policies.md §5.2). Hard: the engine's device
 * fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD features
 * ({@link FgdPoints#dotProduct}) on the usage just before the pod.
 */
public final class DotProdConstraints implements ConstraintProvider {
  public static final String NAME = "dotprod";

  /** Soft constraint name. */
  public static final String SMALLEST_DOT_PRODUCT =
      "Nodes whose free resources overlap the pod's demand least score higher (DotProd)";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {
      PlacementStreams.deviceFit(factory), score(factory),
    };
  }

  Constraint score(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(
        factory, SMALLEST_DOT_PRODUCT, o -> BigDecimal.valueOf(FgdPoints.dotProduct(o)));
  }
}
