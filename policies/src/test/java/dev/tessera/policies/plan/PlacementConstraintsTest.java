package dev.tessera.policies.plan;

import static dev.tessera.policies.plan.PlanFixtures.defaults;
import static dev.tessera.policies.plan.PlanFixtures.fixed;
import static dev.tessera.policies.plan.PlanFixtures.node;
import static dev.tessera.policies.plan.PlanFixtures.pod;
import static dev.tessera.policies.plan.PlanFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;

/**
 * Every placement constraint, one small solution at a time: match count and score impact (see
 * {@link ConstraintCheck} for why not {@code ConstraintVerifier}). Expected points are worked out
 * by hand from policies.md and hami-compat §7.4.
 */
class PlacementConstraintsTest {
  private static final PlanPolicies POLICIES = new PlanPolicies();

  private static ConstraintCheck<PlacementSolution, HardSoftBigDecimalScore> check(String policy) {
    return new ConstraintCheck<>(POLICIES.solutionManager(policy));
  }

  private static HardSoftBigDecimalScore soft(double points) {
    return HardSoftBigDecimalScore.ofSoft(new BigDecimal(points));
  }

  private static HardSoftBigDecimalScore hard(int points) {
    return HardSoftBigDecimalScore.ofHard(BigDecimal.valueOf(points));
  }

  /** One node with two idle A100s, and one with 4 GPUs where GPU 0 holds 40 GiB and 40 %. */
  private static final ClusterSnapshot CLUSTER =
      ClusterSnapshot.of(
          List.of(node("idle", 2), node("busy", 4)), List.of(running("r0", "busy", 0, 40_960, 40)));

  static List<String> policies() {
    return PlanPolicies.names();
  }

  @Nested
  class DeviceFit {
    @ParameterizedTest(name = "{0}: pods that fit together do not match")
    @MethodSource("dev.tessera.policies.plan.PlacementConstraintsTest#policies")
    void podsThatFitTogetherDoNotMatch(String policy) {
      var pods = List.of(pod("a", 1, 40_000, 50), pod("b", 1, 40_000, 50));
      check(policy)
          .given(fixed(CLUSTER, context(policy), pods, "idle", "idle"))
          .hasNo(PlacementStreams.DEVICE_FIT);
    }

    @ParameterizedTest(name = "{0}: the batch pod left without room matches once")
    @MethodSource("dev.tessera.policies.plan.PlacementConstraintsTest#policies")
    void theBatchPodLeftWithoutRoomMatchesOnce(String policy) {
      // each pod wants both GPUs of "idle" at 60 %: each fits alone, the second not after the first
      var pods = List.of(pod("a", 2, 1_024, 60), pod("b", 2, 1_024, 60));
      var given = check(policy).given(fixed(CLUSTER, context(policy), pods, "idle", "idle"));
      given.has(PlacementStreams.DEVICE_FIT, 1, hard(-1));
      assertThat(given.score().hardScore()).isEqualByComparingTo("-1");
    }

    @ParameterizedTest(name = "{0}: a pod too big for its node matches")
    @MethodSource("dev.tessera.policies.plan.PlacementConstraintsTest#policies")
    void aPodTooBigForItsNodeMatches(String policy) {
      var pods = List.of(pod("a", 3, 1_024, 10), pod("b", 3, 1_024, 10));
      check(policy)
          .given(fixed(CLUSTER, context(policy), pods, "idle", "busy"))
          .has(PlacementStreams.DEVICE_FIT, 1, hard(-1));
    }

    @ParameterizedTest(name = "{0}: unassigned pods are not scored")
    @MethodSource("dev.tessera.policies.plan.PlacementConstraintsTest#policies")
    void unassignedPodsAreNotScored(String policy) {
      var pods = List.of(pod("a", 3, 1_024, 10));
      check(policy)
          .given(fixed(CLUSTER, context(policy), pods, (String) null))
          .hasNo(PlacementStreams.DEVICE_FIT);
    }
  }

  @Nested
  class Binpack {
    @Test
    void aPodEarnsTheHamiScoreOfItsNodeBeforeIt() {
      // busy: 1 of 40 slots, 40 of 400 cores, 40960 of 327680 MiB -> 10 * (0.025 + 0.1 + 0.125)
      var pods = List.of(pod("a", 1, 1_024, 10));
      check("binpack")
          .given(fixed(CLUSTER, defaults(), pods, "busy"))
          .has(BinpackConstraints.BUSIER_NODE, 1, soft(10f * (1f / 40f + 40f / 400f + 0.125f)))
          .hasNo(PlacementStreams.DEVICE_FIT);
    }

    @Test
    void theSecondPodOfABatchSeesTheFirst() {
      // idle: 0 before a; after a (1 slot, 50 cores, 20480 MiB of 20, 200, 163840) 10 * 0.425
      var pods = List.of(pod("a", 1, 20_480, 50), pod("b", 1, 1_024, 10));
      check("binpack")
          .given(fixed(CLUSTER, defaults(), pods, "idle", "idle"))
          .has(BinpackConstraints.BUSIER_NODE, 2, soft(10f * (1f / 20f + 50f / 200f + 0.125f)));
    }

    @Test
    void aPodThatDoesNotFitEarnsNothing() {
      var pods = List.of(pod("a", 3, 1_024, 10));
      check("binpack")
          .given(fixed(CLUSTER, defaults(), pods, "busy"))
          .has(BinpackConstraints.BUSIER_NODE, 1, soft(2.5f))
          .hasNo(PlacementStreams.DEVICE_FIT);
      check("binpack")
          .given(fixed(CLUSTER, defaults(), pods, "idle"))
          .hasNo(BinpackConstraints.BUSIER_NODE)
          .has(PlacementStreams.DEVICE_FIT, 1, hard(-1));
    }
  }

  @Nested
  class Spread {
    @Test
    void aPodScoresMinusTheHamiScoreOfItsNodeBeforeIt() {
      var pods = List.of(pod("a", 1, 1_024, 10), pod("b", 1, 1_024, 10));
      check("spread")
          .given(fixed(CLUSTER, defaults(), pods, "busy", "idle"))
          .has(SpreadConstraints.LESS_BUSY_NODE, 2, soft(-10f * (1f / 40f + 40f / 400f + 0.125f)));
    }
  }

  @Nested
  class FgdFamily {
    // A sharing pod asking 40 % of the cores is m = 400 milli-GPU; the node's CPU is unknown, so
    // c = 128000 milli and the pod counts 100 milli (policies.md §1). Busy's GPU 0 holds 40 % of
    // the cores and 50 % of the memory: the larger share counts, 500 milli idle.
    private final List<PodRequest> share = List.of(pod("a", 1, 0, 40));

    @Test
    void dotProductOnAnIdleTwoGpuNode() {
      // ip = 1 * 100/128000 + (2000/8000) * (400/8000) = 0.01328125 -> trunc(100 * (1 - ip/2))
      check("dotprod")
          .given(fixed(CLUSTER, defaults(), share, "idle"))
          .has(DotProdConstraints.SMALLEST_DOT_PRODUCT, 1, soft(99));
    }

    @Test
    void bestFitOnTheBusyNode() {
      // L = 500 + 3000; s = (127900/128000)/2 + (3100/8000)/2 = 0.69335938 -> trunc(30.66)
      check("bestfit")
          .given(fixed(CLUSTER, defaults(), share, "busy"))
          .has(BestFitConstraints.TIGHTEST_FIT, 1, soft(30));
    }

    @Test
    void gpuPackingPrefersThePartlyUsedGpu() {
      // busy: the GPU with 500 idle is taken: 100 - (500*100/1000)/10 = 95; idle node: max(31, 2)
      check("gpu-packing")
          .given(fixed(CLUSTER, defaults(), share, "busy"))
          .has(GpuPackingConstraints.PARTLY_USED_GPUS_FIRST, 1, soft(95));
      check("gpu-packing")
          .given(fixed(CLUSTER, defaults(), share, "idle"))
          .has(GpuPackingConstraints.PARTLY_USED_GPUS_FIRST, 1, soft(31));
    }

    @Test
    void gpuClusteringRewardsNodesWithTheSameShape() {
      // busy holds one "share" pod: 75 + 25 * (8000 - 3500) / 8000; idle holds none: 25 +
      // 25*6000/8000
      check("gpu-clustering")
          .given(fixed(CLUSTER, defaults(), share, "busy"))
          .has(GpuClusteringConstraints.SAME_SHAPE_TOGETHER, 1, soft(75 + 14));
      check("gpu-clustering")
          .given(fixed(CLUSTER, defaults(), share, "idle"))
          .has(GpuClusteringConstraints.SAME_SHAPE_TOGETHER, 1, soft(25 + 18));
    }

    @Test
    void gpuClusteringCountsEarlierPodsOfTheBatch() {
      var two = List.of(pod("a", 1, 0, 40), pod("b", 1, 0, 40));
      // a: 25 + 18 on the idle node; b then sees a's "share" tag and L = 1600: 75 + 25*6400/8000
      check("gpu-clustering")
          .given(fixed(CLUSTER, defaults(), two, "idle", "idle"))
          .has(GpuClusteringConstraints.SAME_SHAPE_TOGETHER, 2, soft(43 + 95));
    }

    @Test
    void fgdScoresTheFragmentationAPlacementCauses() {
      // T = whole-GPU pods only. Idle node: F 0 -> 600 (the touched GPU can no longer host one):
      // trunc(100 σ(-0.6)) = 35. Busy node: FGD takes the 500-idle GPU, F 500 -> 100: σ(0.4) -> 59.
      check("fgd")
          .given(fixed(CLUSTER, fgdContext(), share, "idle"))
          .has(FgdConstraints.REDUCE_FRAGMENTATION, 1, soft(35));
      check("fgd")
          .given(fixed(CLUSTER, fgdContext(), share, "busy"))
          .has(FgdConstraints.REDUCE_FRAGMENTATION, 1, soft(59));
    }
  }

  private static PlanContext context(String policy) {
    return PlanPolicies.needsWorkload(policy) ? fgdContext() : defaults();
  }

  private static PlanContext fgdContext() {
    var wholeGpu = new TargetWorkload.TypicalPod(100, 1000, 1, "", 1, 1.0);
    return new PlanContext(
        Engine.Options.DEFAULTS,
        Optional.of(new Fragmentation(new TargetWorkload(List.of(wholeGpu), 1, 1))));
  }
}
