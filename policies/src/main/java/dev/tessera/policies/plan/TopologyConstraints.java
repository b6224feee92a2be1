package dev.tessera.policies.plan;

import dev.tessera.policies.facts.PlacementFeatures;
import java.math.BigDecimal;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * Topology-aware placement as constraints, the mirror of {@code topology.drl}: hard, the engine's
 * device fit, which must run with GPU policy {@code topology-aware} (plans take it from {@link
 * PlanPolicies#options}); soft, each fitting pod earns the pair score of its chosen GPUs
 * (hami.io/node-nvidia-score; NVLink 100 per link) plus {@link #NUMA_BONUS} points when it gets two
 * or more GPUs and all sit on one NUMA node.
 */
public final class TopologyConstraints implements ConstraintProvider {
  public static final String NAME = "topology";

  /** Points of a multi-GPU placement on one NUMA node, as in {@code topology.drl}. */
  public static final BigDecimal NUMA_BONUS = BigDecimal.valueOf(100);

  /** Soft constraint names, the DRL rules' sentences. */
  public static final String LINKED_GPUS = "GPUs joined by fast links earn their pair scores";

  public static final String ONE_NUMA_NODE =
      "A placement whose GPUs all share one NUMA node earns 100 points";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {
      PlacementStreams.deviceFit(factory), linkedGpus(factory), oneNumaNode(factory)
    };
  }

  Constraint linkedGpus(ConstraintFactory factory) {
    return PlacementStreams.outcomes(factory)
        .filter(PodOutcome::fits)
        .map(PodOutcome::placement)
        .filter(p -> p.pairScore() != 0)
        .impactBigDecimal(HardSoftBigDecimalScore.ONE_SOFT, p -> BigDecimal.valueOf(p.pairScore()))
        .asConstraint(LINKED_GPUS);
  }

  Constraint oneNumaNode(ConstraintFactory factory) {
    return PlacementStreams.outcomes(factory)
        .filter(PodOutcome::fits)
        .map(PodOutcome::placement)
        .filter(TopologyConstraints::oneNuma)
        .impactBigDecimal(HardSoftBigDecimalScore.ONE_SOFT, p -> NUMA_BONUS)
        .asConstraint(ONE_NUMA_NODE);
  }

  private static boolean oneNuma(PlacementFeatures p) {
    return p.gpus() > 1 && p.sharesNuma();
  }
}
