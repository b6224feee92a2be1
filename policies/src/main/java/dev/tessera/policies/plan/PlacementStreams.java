package dev.tessera.policies.plan;

import java.math.BigDecimal;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintCollectors;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.uni.UniConstraintStream;

/**
 * The constraint streams every placement policy shares: the engine's verdict per planned pod, and
 * the hard device-fit constraint over it.
 */
public final class PlacementStreams {
  /** Name of the hard constraint, the same sentence as the DRL policies' veto rule. */
  public static final String DEVICE_FIT = "A node the pod does not fit on is never chosen";

  private PlacementStreams() {}

  /**
   * One {@link PodOutcome} per assigned pod: pods are grouped by node and fitted there in batch
   * order by {@link NodeLoad#of}, so two pods of a batch never share more device capacity than the
   * engine's fit grants. Method references keep the stream identical across constraints, so Bavet
   * builds it once.
   */
  public static UniConstraintStream<PodOutcome> outcomes(ConstraintFactory factory) {
    return factory
        .forEach(PodSlot.class)
        .groupBy(PodSlot::getNode, ConstraintCollectors.toList())
        .map(NodeLoad::of)
        .flattenLast(NodeLoad::outcomes);
  }

  /** Hard: one point per planned pod the engine's fit rejects on its node. */
  public static Constraint deviceFit(ConstraintFactory factory) {
    return outcomes(factory)
        .filter(o -> !o.fits())
        .penalize(HardSoftBigDecimalScore.ONE_HARD)
        .asConstraint(DEVICE_FIT);
  }

  /** Soft: each fitting pod earns {@code points(outcome)}. */
  static Constraint softPerFittingPod(
      ConstraintFactory factory,
      String name,
      java.util.function.Function<PodOutcome, BigDecimal> points) {
    return outcomes(factory)
        .filter(PodOutcome::fits)
        .impactBigDecimal(HardSoftBigDecimalScore.ONE_SOFT, points)
        .asConstraint(name);
  }
}
