package dev.tessera.policies.plan;

/**
 * The FGD paper's fragmentation gradient descent as constraints (policies.md §6.3). Hard: the
 * engine's device fit; soft: each pod earns its node's score (0..100), computed by the engine's FGD
 * features ({@link FgdPoints#fgd}) on the usage just before the pod.
 */
public final class FgdConstraints extends FgdScoreConstraints {
  public static final String NAME = "fgd";

  /** Soft constraint name. */
  public static final String REDUCE_FRAGMENTATION =
      "Placements that reduce GPU fragmentation score higher (FGD)";

  public FgdConstraints() {
    super(REDUCE_FRAGMENTATION, FgdPoints::fgd);
  }
}
