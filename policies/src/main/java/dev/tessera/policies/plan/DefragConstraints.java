package dev.tessera.policies.plan;

import java.math.BigDecimal;
import org.optaplanner.core.api.score.buildin.hardmediumsoftbigdecimal.HardMediumSoftBigDecimalScore;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintCollectors;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;
import org.optaplanner.core.api.score.stream.uni.UniConstraintStream;

/**
 * Defragmentation as constraints: hard, every moved pod fits where it goes (the engine's fit) and
 * no more than the allowed number move; medium, whole GPUs freed; soft, FGD fragmentation removed
 * (milli-GPU), and one milli-GPU per move so that a move that gains nothing is not made.
 */
public final class DefragConstraints implements ConstraintProvider {
  public static final String MOVED_POD_FITS = "A moved pod must fit on its new node";
  public static final String MOVE_LIMIT = "No more pods move than the plan allows";
  public static final String FREED_GPUS = "Each whole GPU freed counts one";
  public static final String LESS_FRAGMENTATION =
      "Each milli-GPU of fragmentation removed counts one";
  public static final String MOVE_COST = "Each move costs one milli-GPU";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {
      movedPodFits(factory),
      moveLimit(factory),
      freedGpus(factory),
      lessFragmentation(factory),
      moveCost(factory),
    };
  }

  /** Per node whose usage the plan may change: its load after the plan. */
  static UniConstraintStream<DefragLoad> loads(ConstraintFactory factory) {
    return factory
        .forEach(MoveSlot.class)
        .flattenLast(MoveSlot::touched)
        .groupBy(MoveSlot.Touch::node, ConstraintCollectors.toList())
        .map(DefragLoad::of);
  }

  Constraint movedPodFits(ConstraintFactory factory) {
    return loads(factory)
        .flattenLast(DefragLoad::rejected)
        .penalize(HardMediumSoftBigDecimalScore.ONE_HARD)
        .asConstraint(MOVED_POD_FITS);
  }

  Constraint moveLimit(ConstraintFactory factory) {
    return factory
        .forEach(MoveSlot.class)
        .filter(MoveSlot::moved)
        .groupBy(ConstraintCollectors.count())
        .join(DefragSettings.class)
        .filter((moves, settings) -> moves > settings.maxMoves())
        .penalize(
            HardMediumSoftBigDecimalScore.ONE_HARD,
            (moves, settings) -> moves - settings.maxMoves())
        .asConstraint(MOVE_LIMIT);
  }

  Constraint freedGpus(ConstraintFactory factory) {
    return loads(factory)
        .filter(l -> l.freedGpus() != 0)
        .impactBigDecimal(
            HardMediumSoftBigDecimalScore.ONE_MEDIUM, l -> BigDecimal.valueOf(l.freedGpus()))
        .asConstraint(FREED_GPUS);
  }

  Constraint lessFragmentation(ConstraintFactory factory) {
    return loads(factory)
        .filter(l -> l.fragmentationRemoved().signum() != 0)
        .impactBigDecimal(HardMediumSoftBigDecimalScore.ONE_SOFT, DefragLoad::fragmentationRemoved)
        .asConstraint(LESS_FRAGMENTATION);
  }

  Constraint moveCost(ConstraintFactory factory) {
    return factory
        .forEach(MoveSlot.class)
        .filter(MoveSlot::moved)
        .penalize(HardMediumSoftBigDecimalScore.ONE_SOFT)
        .asConstraint(MOVE_COST);
  }
}
