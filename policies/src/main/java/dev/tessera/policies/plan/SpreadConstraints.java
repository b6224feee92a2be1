package dev.tessera.policies.plan;

import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * HAMi's node spread as constraints, the mirror of {@code spread.drl}: hard, the engine's device
 * fit; soft, each pod scores minus the HAMi node score of its node just before it, so the least
 * busy fitting node wins. Minus (not 30 − score) keeps the float ordering exact, as in the DRL.
 */
public final class SpreadConstraints implements ConstraintProvider {
  public static final String NAME = "spread";

  /** Soft constraint name, the DRL rule's sentence. */
  public static final String LESS_BUSY_NODE = "A less busy node scores minus its HAMi node score";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {
      PlacementStreams.deviceFit(factory), lessBusyNode(factory),
    };
  }

  Constraint lessBusyNode(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(factory, LESS_BUSY_NODE, o -> o.hamiScore().negate());
  }
}
