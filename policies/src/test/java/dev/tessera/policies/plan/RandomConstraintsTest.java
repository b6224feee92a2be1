package dev.tessera.policies.plan;

import static dev.tessera.policies.plan.PlanFixtures.node;
import static dev.tessera.policies.plan.PlanFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;

/**
 * The {@code random} constraint: the node {@code new Random(seed + pod index).nextInt(candidates)}
 * picks scores 100, every other node 0 (match count and impact, see {@link ConstraintCheck}).
 */
class RandomConstraintsTest {
  private static final ConstraintCheck<PlacementSolution, HardSoftBigDecimalScore> CHECK =
      new ConstraintCheck<>(new PlanPolicies().solutionManager(RandomConstraints.NAME));

  private static final ClusterSnapshot CLUSTER =
      ClusterSnapshot.of(List.of(node("n0", 2), node("n1", 2), node("n2", 2)), List.of());

  /** Pod {@code i} fixed on {@code at[i]}; every node is a candidate of every pod. */
  private static PlacementSolution fixed(long seed, List<PodRequest> pods, int... at) {
    var context = new PlanContext(Engine.Options.DEFAULTS, Optional.empty(), seed);
    var nodes = new ArrayList<PlanNode>();
    int pos = 0;
    for (ClusterSnapshot.NodeState s : CLUSTER.nodes()) {
      nodes.add(new PlanNode(pos++, s.node(), s.usage(), s.pods(), s.usage(), context));
    }
    var slots = new ArrayList<PodSlot>();
    for (int i = 0; i < pods.size(); i++) {
      PodPlan plan = PodPlan.of(pods.get(i), "", null);
      slots.add(new PodSlot(i, pods.get(i), plan, nodes, nodes.get(at[i])));
    }
    return new PlacementSolution(nodes, slots);
  }

  private static HardSoftBigDecimalScore soft(int points) {
    return HardSoftBigDecimalScore.ofSoft(BigDecimal.valueOf(points));
  }

  @Test
  void theDrawIsJavaUtilRandomsFirstIntAmongTheCandidates() {
    assertThat(RandomConstraints.drawn(7, 3)).isEqualTo(new Random(7).nextInt(3));
    assertThat(RandomConstraints.drawn(7, 1)).isZero();
    assertThat(RandomConstraints.drawn(7, 0)).isEqualTo(-1);
  }

  @Test
  void onlyTheDrawnNodeScores100() {
    var pods = List.of(pod("a", 1, 1_024, 10));
    for (long seed = 0; seed < 20; seed++) {
      int drawn = new Random(seed).nextInt(3);
      for (int n = 0; n < 3; n++) {
        // every fitting pod matches; only the drawn node's match carries points
        CHECK
            .given(fixed(seed, pods, n))
            .has(RandomConstraints.DRAWN_NODE, 1, soft(n == drawn ? 100 : 0))
            .hasNo(PlacementStreams.DEVICE_FIT);
      }
    }
  }

  @Test
  void eachPodOfABatchDrawsWithItsOwnSeed() {
    var pods = List.of(pod("a", 1, 1_024, 10), pod("b", 1, 1_024, 10));
    long seed = 41;
    int a = new Random(seed).nextInt(3);
    int b = new Random(seed + 1).nextInt(3);
    CHECK.given(fixed(seed, pods, a, b)).has(RandomConstraints.DRAWN_NODE, 2, soft(200));
    CHECK.given(fixed(seed, pods, (a + 1) % 3, b)).has(RandomConstraints.DRAWN_NODE, 2, soft(100));
  }

  @Test
  void aPodThatDoesNotFitEarnsNothing() {
    var pods = List.of(pod("a", 3, 1_024, 10));
    CHECK
        .given(fixed(1, pods, RandomConstraints.drawn(1, 3)))
        .hasNo(RandomConstraints.DRAWN_NODE)
        .has(
            PlacementStreams.DEVICE_FIT,
            1,
            HardSoftBigDecimalScore.ofHard(BigDecimal.ONE.negate()));
  }
}
