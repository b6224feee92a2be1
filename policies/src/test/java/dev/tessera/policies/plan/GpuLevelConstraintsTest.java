package dev.tessera.policies.plan;

import static dev.tessera.policies.plan.PlanFixtures.A100;
import static dev.tessera.policies.plan.PlanFixtures.A100_MIB;
import static dev.tessera.policies.plan.PlanFixtures.fixed;
import static dev.tessera.policies.plan.PlanFixtures.node;
import static dev.tessera.policies.plan.PlanFixtures.pod;
import static dev.tessera.policies.plan.PlanFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;

/**
 * The GPU-level placement constraints ({@code gpu-binpack}, {@code gpu-spread}, {@code topology}),
 * one small solution at a time: match count and score impact (see {@link ConstraintCheck}).
 * Expected points are worked out by hand from hami-compat §7.3 (device score: 10 × (slot + core +
 * memory ratio) of the GPU's usage before the pod, float32 as HAMi computes it) and §7.5-7.7.
 */
class GpuLevelConstraintsTest {
  private static final PlanPolicies POLICIES = new PlanPolicies();

  /** One node with two idle A100s, and one with 4 GPUs where GPU 0 holds 40 GiB and 40 %. */
  private static final ClusterSnapshot CLUSTER =
      ClusterSnapshot.of(
          List.of(node("idle", 2), node("busy", 4)), List.of(running("r0", "busy", 0, 40_960, 40)));

  private static ConstraintCheck<PlacementSolution, HardSoftBigDecimalScore> check(String policy) {
    return new ConstraintCheck<>(POLICIES.solutionManager(policy));
  }

  /** The context a plan under {@code policy} gets: the fit runs with the policy's GPU policy. */
  private static PlanContext context(String policy) {
    return PlanContext.of(PlanPolicies.options(policy, Engine.Options.DEFAULTS));
  }

  private static HardSoftBigDecimalScore soft(double points) {
    return HardSoftBigDecimalScore.ofSoft(new BigDecimal(points));
  }

  private static HardSoftBigDecimalScore hard(int points) {
    return HardSoftBigDecimalScore.ofHard(BigDecimal.valueOf(points));
  }

  @Test
  void eachPolicyFitsWithItsOwnGpuPolicy() {
    assertThat(PlanPolicies.gpuPolicyOf(GpuBinpackConstraints.NAME)).isEqualTo("binpack");
    assertThat(PlanPolicies.gpuPolicyOf(GpuSpreadConstraints.NAME)).isEqualTo("spread");
    assertThat(PlanPolicies.gpuPolicyOf(TopologyConstraints.NAME)).isEqualTo("topology-aware");
    assertThat(PlanPolicies.gpuPolicyOf(BinpackConstraints.NAME)).isEmpty();
    assertThat(PlanPolicies.options("binpack", Engine.Options.DEFAULTS))
        .isEqualTo(Engine.Options.DEFAULTS);
    assertThat(PlanPolicies.names())
        .contains(GpuBinpackConstraints.NAME, GpuSpreadConstraints.NAME, TopologyConstraints.NAME);
  }

  @Nested
  class GpuBinpack {
    @Test
    void aPodEarnsTheDeviceScoreOfTheBusiestGpuThatFits() {
      // binpack takes busy's GPU 0: 1 of 10 slots, 40 of 100 cores, 40960 of 81920 MiB
      var pods = List.of(pod("a", 1, 1_024, 10));
      check(GpuBinpackConstraints.NAME)
          .given(fixed(CLUSTER, context(GpuBinpackConstraints.NAME), pods, "busy"))
          .has(
              GpuBinpackConstraints.BUSIER_GPUS,
              1,
              soft(10f * (1f / 10f + 40f / 100f + 40_960f / A100_MIB)))
          .hasNo(PlacementStreams.DEVICE_FIT);
    }

    @Test
    void theSecondPodOfABatchPacksOntoTheGpuTheFirstTook() {
      // a takes an idle GPU (0 points); b then packs onto it: 1/10, 50/100, 20480/81920
      var pods = List.of(pod("a", 1, 20_480, 50), pod("b", 1, 1_024, 10));
      double a = 0;
      double b = 10f * (1f / 10f + 50f / 100f + 20_480f / A100_MIB);
      check(GpuBinpackConstraints.NAME)
          .given(fixed(CLUSTER, context(GpuBinpackConstraints.NAME), pods, "idle", "idle"))
          .has(
              GpuBinpackConstraints.BUSIER_GPUS,
              2,
              HardSoftBigDecimalScore.ofSoft(new BigDecimal(a).add(new BigDecimal(b))));
    }

    @Test
    void aPodThatDoesNotFitEarnsNothing() {
      var pods = List.of(pod("a", 3, 1_024, 10));
      check(GpuBinpackConstraints.NAME)
          .given(fixed(CLUSTER, context(GpuBinpackConstraints.NAME), pods, "idle"))
          .hasNo(GpuBinpackConstraints.BUSIER_GPUS)
          .has(PlacementStreams.DEVICE_FIT, 1, hard(-1));
    }
  }

  @Nested
  class GpuSpread {
    @Test
    void aPodScoresMinusTheDeviceScoreOfTheIdlestGpu() {
      // spread takes an idle GPU of busy (0 points), not GPU 0 (10 points, binpack's choice)
      var pods = List.of(pod("a", 1, 1_024, 10));
      check(GpuSpreadConstraints.NAME)
          .given(fixed(CLUSTER, context(GpuSpreadConstraints.NAME), pods, "busy"))
          .has(GpuSpreadConstraints.IDLER_GPUS, 1, soft(0))
          .hasNo(PlacementStreams.DEVICE_FIT);
    }

    @Test
    void aMultiGpuPodScoresTheMeanOfItsGpus() {
      // 4 GPUs of busy: GPU 0 scores 10 * (1/10 + 40/100 + 40960/81920) = 10, the three idle
      // ones 0; the node's points are minus their mean
      var pods = List.of(pod("a", 4, 1_024, 10));
      check(GpuSpreadConstraints.NAME)
          .given(fixed(CLUSTER, context(GpuSpreadConstraints.NAME), pods, "busy"))
          .has(GpuSpreadConstraints.IDLER_GPUS, 1, soft(-10.0 / 4))
          .hasNo(PlacementStreams.DEVICE_FIT);
    }
  }

  @Nested
  class Topology {
    /**
     * GPUs 0 and 1 share NUMA node 0 and an NVLink (100); GPUs 2 and 3 share NUMA node 1 and a PCIe
     * switch (40); every other pair scores 10.
     */
    private final ClusterSnapshot linked = ClusterSnapshot.of(List.of(linkedNode()), List.of());

    private static Node linkedNode() {
      var devices =
          List.of(
              GpuDevice.of("g0", 0, A100, A100_MIB, 100, 10, 0),
              GpuDevice.of("g1", 1, A100, A100_MIB, 100, 10, 0),
              GpuDevice.of("g2", 2, A100, A100_MIB, 100, 10, 1),
              GpuDevice.of("g3", 3, A100, A100_MIB, 100, 10, 1));
      int[][] score = {{0, 100, 10, 10}, {100, 0, 10, 10}, {10, 10, 0, 40}, {10, 10, 40, 0}};
      var rows = new java.util.HashMap<String, Map<String, Integer>>();
      for (int i = 0; i < 4; i++) {
        var row = new java.util.HashMap<String, Integer>();
        for (int j = 0; j < 4; j++) {
          if (i != j) {
            row.put("g" + j, score[i][j]);
          }
        }
        rows.put("g" + i, row);
      }
      return new Node(
          "linked", Map.of(), 0, 0, devices, new PairScores(Map.copyOf(rows)), Set.of());
    }

    @Test
    void twoGpusOnAnNvlinkPairEarnTheLinkAndTheNumaBonus() {
      var pods = List.of(pod("a", 2, 1_024, 10));
      check(TopologyConstraints.NAME)
          .given(fixed(linked, context(TopologyConstraints.NAME), pods, "linked"))
          .has(TopologyConstraints.LINKED_GPUS, 1, soft(100))
          .has(TopologyConstraints.ONE_NUMA_NODE, 1, soft(100))
          .hasNo(PlacementStreams.DEVICE_FIT);
    }

    @Test
    void threeGpusSpanTwoNumaNodesAndEarnOnlyTheirPairScores() {
      // best 3-subset: {g0, g1, g2} = 100 + 10 + 10; g2 sits on NUMA node 1
      var pods = List.of(pod("a", 3, 1_024, 10));
      check(TopologyConstraints.NAME)
          .given(fixed(linked, context(TopologyConstraints.NAME), pods, "linked"))
          .has(TopologyConstraints.LINKED_GPUS, 1, soft(120))
          .hasNo(TopologyConstraints.ONE_NUMA_NODE);
    }

    @Test
    void oneGpuEarnsNothing() {
      var pods = List.of(pod("a", 1, 1_024, 10));
      check(TopologyConstraints.NAME)
          .given(fixed(linked, context(TopologyConstraints.NAME), pods, "linked"))
          .hasNo(TopologyConstraints.LINKED_GPUS)
          .hasNo(TopologyConstraints.ONE_NUMA_NODE);
    }

    @Test
    void unlinkedGpusOnOneNumaNodeEarnOnlyTheBonus() {
      // the fixture's nodes publish no pair scores and put every GPU on NUMA node 0
      var pods = List.of(pod("a", 2, 1_024, 10), pod("b", 3, 1_024, 10));
      check(TopologyConstraints.NAME)
          .given(fixed(CLUSTER, context(TopologyConstraints.NAME), pods, "idle", "idle"))
          .hasNo(TopologyConstraints.LINKED_GPUS)
          .has(TopologyConstraints.ONE_NUMA_NODE, 1, soft(100))
          .has(PlacementStreams.DEVICE_FIT, 1, hard(-1));
    }
  }
}
