package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.decision.NodeExplanation;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.CombinedPolicy;
import dev.tessera.policies.drl.PolicyDecider;
import dev.tessera.policies.drl.PolicyRegistry;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The built-in {@code gpu-binpack}, {@code gpu-spread} and {@code topology} DRL policies, decided
 * through {@link PolicyDecider}, agree with {@link GpuPolicyOracle} on seeded random clusters and
 * pods: the same best node, the same ranking with the same totals, and the same chosen devices on
 * every fitting node.
 */
class GpuPolicyAgreementIT {
  private static final int CASES = 1_200;
  private static final long SEED = 20261123L;

  private static PolicyRegistry registry;

  @BeforeAll
  static void compileOnce() {
    registry = new PolicyRegistry();
  }

  private static String name(GpuPolicyOracle.Kind kind) {
    return switch (kind) {
      case GPU_BINPACK -> PolicyRegistry.GPU_BINPACK;
      case GPU_SPREAD -> PolicyRegistry.GPU_SPREAD;
      case TOPOLOGY -> PolicyRegistry.TOPOLOGY;
    };
  }

  @ParameterizedTest(name = "DRL {0} agrees with the plain-Java oracle")
  @EnumSource(GpuPolicyOracle.Kind.class)
  void drlAgreesWithTheOracle(GpuPolicyOracle.Kind kind) {
    String policy = name(kind);
    var decider =
        new PolicyDecider(
            CombinedPolicy.single(registry.builtIn(policy), registry.gpuPolicyOf(policy)),
            Engine.Options.DEFAULTS);
    var gen = new RandomGpuClusters(SEED + kind.ordinal());
    int placed = 0;
    int ties = 0;
    int distinctTotals = 0;
    int linked = 0;
    for (int i = 0; i < CASES; i++) {
      ClusterSnapshot snapshot = gen.snapshot();
      PodRequest pod = gen.pod(i);
      PolicyDecision got = decider.decide(pod, snapshot);
      GpuPolicyOracle.Result want = GpuPolicyOracle.decide(kind, pod, snapshot);
      String at = "case " + i + ", pod " + pod + ", decision " + got;

      assertThat(got.chosen()).as(at).isEqualTo(want.best());
      List<NodeExplanation> ranked =
          got.ranked().stream().filter(NodeExplanation::eligible).toList();
      assertThat(ranked.stream().map(NodeExplanation::node).toList())
          .as(at)
          .isEqualTo(want.ranking().stream().map(GpuPolicyOracle.Scored::node).toList());
      for (int r = 0; r < ranked.size(); r++) {
        assertThat(ranked.get(r).total()).as(at).isEqualTo(want.ranking().get(r).total());
      }
      for (GpuPolicyOracle.Scored s : want.nodes()) {
        var verdict =
            got.decision().verdicts().stream()
                .filter(v -> v.node().equals(s.node()))
                .findFirst()
                .orElseThrow();
        assertThat(verdict.fits()).as(at).isEqualTo(s.fits());
        if (s.fits()) {
          assertThat(verdict.containers()).as(at + ", node " + s.node()).isEqualTo(s.devices());
        }
      }
      if (got.decision() instanceof Decision.Placed p) {
        placed++;
        if (want.ranking().get(0).total() >= 100) {
          linked++; // an NVLink pair or the NUMA bonus decided it
        }
        assertThat(p.containers()).as(at).isEqualTo(want.ranking().get(0).devices());
        if (want.ranking().size() > 1) {
          if (want.ranking().get(1).total() == want.ranking().get(0).total()) {
            ties++;
          } else {
            distinctTotals++;
          }
        }
      }
    }
    // The generator must exercise placements, ties and real score differences.
    assertThat(placed).isGreaterThan(CASES / 3);
    assertThat(ties).isGreaterThan(CASES / 50);
    assertThat(distinctTotals).isGreaterThan(CASES / 10);
    if (kind == GpuPolicyOracle.Kind.TOPOLOGY) {
      assertThat(linked).isGreaterThan(CASES / 20);
    }
  }
}
