package dev.tessera.policies.plan;

/**
 * The FGD paper's DotProd baseline as constraints (policies.md §5.2). Hard: the engine's device
 * fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD features
 * ({@link FgdPoints#dotProduct}) on the usage just before the pod.
 */
public final class DotProdConstraints extends FgdScoreConstraints {
  public static final String NAME = "dotprod";

  /** Soft constraint name. */
  public static final String SMALLEST_DOT_PRODUCT =
      "Nodes whose free resources overlap the pod's demand least score higher (DotProd)";

  public DotProdConstraints() {
    super(SMALLEST_DOT_PRODUCT, FgdPoints::dotProduct);
  }
}
