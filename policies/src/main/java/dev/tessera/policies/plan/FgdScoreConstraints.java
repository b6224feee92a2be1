package dev.tessera.policies.plan;

import java.math.BigDecimal;
import java.util.function.ToIntFunction;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * The constraints of the FGD paper's scoring policies (policies.md §5, §6): hard, the engine's
 * device fit; soft, each fitting pod earns its node's score (0..100) from one {@link FgdPoints}
 * function, computed on the usage just before the pod. OptaPlanner instantiates providers by class
 * (no-argument constructor), so each policy is a subclass naming its constraint and function.
 */
abstract class FgdScoreConstraints implements ConstraintProvider {
  private final String constraint;
  private final ToIntFunction<PodOutcome> points;

  /**
   * @param constraint the soft constraint's name, as score explanations show it
   * @param points the node's score for a fitting pod, 0..100
   */
  FgdScoreConstraints(String constraint, ToIntFunction<PodOutcome> points) {
    this.constraint = constraint;
    this.points = points;
  }

  @Override
  public final Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {PlacementStreams.deviceFit(factory), score(factory)};
  }

  final Constraint score(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(
        factory, constraint, o -> BigDecimal.valueOf(points.applyAsInt(o)));
  }
}
