package dev.tessera.policies.plan;

/**
 * The FGD paper's BestFit baseline as constraints (policies.md §5.5). Hard: the engine's device
 * fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD features
 * ({@link FgdPoints#bestFit}) on the usage just before the pod.
 */
public final class BestFitConstraints extends FgdScoreConstraints {
  public static final String NAME = "bestfit";

  /** Soft constraint name. */
  public static final String TIGHTEST_FIT =
      "Nodes left with the least free CPU and GPU score higher (BestFit)";

  public BestFitConstraints() {
    super(TIGHTEST_FIT, FgdPoints::bestFit);
  }
}
