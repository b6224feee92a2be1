package dev.tessera.policies.plan;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * The FGD paper's Random baseline (policies.md §5.1) as constraints, the mirror of {@code
 * random.drl}: hard, the engine's device fit; soft, a fitting pod earns {@link #POINTS} on the node
 * its seeded draw picked and 0 elsewhere.
 *
 * <p>The draw is the one the DRL form's caller makes: among the pod's candidate nodes in snapshot
 * order (the nodes it fits on alone, as {@code GangPlanner} builds them: the same list the DRL
 * form's {@code FgdFeatures} are made for), index {@code new java.util.Random(seed).nextInt(n)}
 * when there are {@code n >= 2}, else the only one; batch pod {@code i} uses seed {@code
 * context.seed() + i}. So for one pod and the same seed and candidates both forms choose the same
 * node (the first draw of a simulator run seeded with that seed). Devices are not drawn: the plan's
 * fit chooses them under the plan's GPU policy, where {@code random.drl} draws a fitting GPU for a
 * sharing pod.
 */
public final class RandomConstraints implements ConstraintProvider {
  public static final String NAME = "random";

  /** Points of the drawn node, as {@code random.drl} gives. */
  public static final BigDecimal POINTS = BigDecimal.valueOf(100);

  /** Soft constraint name, the DRL rule's sentence. */
  public static final String DRAWN_NODE = "The node the seeded draw picked scores 100";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {PlacementStreams.deviceFit(factory), drawnNode(factory)};
  }

  Constraint drawnNode(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(
        factory, DRAWN_NODE, o -> picked(o) ? POINTS : BigDecimal.ZERO);
  }

  private static boolean picked(PodOutcome o) {
    PodSlot slot = o.slot();
    List<PlanNode> candidates = slot.candidates();
    int at = drawn(o.node().context().seed() + slot.index(), candidates.size());
    return at >= 0 && candidates.get(at) == o.node();
  }

  /**
   * Index of the drawn node among {@code candidates} nodes for {@code seed}: {@code new
   * Random(seed).nextInt(candidates)} when there are two or more, 0 for one, -1 for none.
   */
  public static int drawn(long seed, int candidates) {
    if (candidates <= 0) {
      return -1;
    }
    return candidates >= 2 ? new Random(seed).nextInt(candidates) : 0;
  }
}
