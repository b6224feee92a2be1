package dev.tessera.policies.plan;

import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * HAMi's node binpack as constraints, the mirror of {@code binpack.drl}: hard, the engine's device
 * fit; soft, each pod earns the HAMi node score (0..30) of its node just before it, so the busiest
 * fitting node wins.
 */
public final class BinpackConstraints implements ConstraintProvider {
  public static final String NAME = "binpack";

  /** Soft constraint name, the DRL rule's sentence. */
  public static final String BUSIER_NODE = "A busier node scores its HAMi node score";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {
      PlacementStreams.deviceFit(factory), busierNode(factory),
    };
  }

  Constraint busierNode(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(factory, BUSIER_NODE, PodOutcome::hamiScore);
  }
}
