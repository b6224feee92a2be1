package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.decision.NodeExplanation;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.CombinedPolicy;
import dev.tessera.policies.drl.PolicyDecider;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.plan.NodeLoad;
import dev.tessera.policies.plan.PlacementSolution;
import dev.tessera.policies.plan.PlanContext;
import dev.tessera.policies.plan.PlanNode;
import dev.tessera.policies.plan.PlanPolicies;
import dev.tessera.policies.plan.PodSlot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;
import org.optaplanner.core.api.solver.SolutionManager;

/**
 * The built-in {@code gpu-binpack}, {@code gpu-spread} and {@code topology} DRL policies, decided
 * through {@link PolicyDecider}, agree with {@link GpuPolicyOracle} on seeded random clusters and
 * pods: the same best node, the same ranking with the same totals, and the same chosen devices on
 * every fitting node. Their OptaPlanner constraints (the score of a one-pod solution fixed on each
 * node in turn, fitted with the plan options {@link PlanPolicies#options} gives) rank the nodes of
 * the same cases alike too.
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

  @ParameterizedTest(name = "OptaPlanner {0} agrees with DRL and the plain-Java oracle")
  @EnumSource(GpuPolicyOracle.Kind.class)
  void optaPlannerAgreesWithDrlAndTheOracle(GpuPolicyOracle.Kind kind) {
    String policy = name(kind);
    var decider =
        new PolicyDecider(
            CombinedPolicy.single(registry.builtIn(policy), registry.gpuPolicyOf(policy)),
            Engine.Options.DEFAULTS);
    SolutionManager<PlacementSolution, HardSoftBigDecimalScore> opta =
        new PlanPolicies().solutionManager(policy);
    // the plan's options, not the DRL decider's: both must arrive at the same GPU policy
    PlanContext context = PlanContext.of(PlanPolicies.options(policy, Engine.Options.DEFAULTS));
    // the same seed as the DRL test: the same clusters and pods
    var gen = new RandomGpuClusters(SEED + kind.ordinal());
    int placed = 0;
    int ties = 0;
    for (int i = 0; i < CASES; i++) {
      ClusterSnapshot snapshot = gen.snapshot();
      PodRequest pod = gen.pod(i);
      GpuPolicyOracle.Result want = GpuPolicyOracle.decide(kind, pod, snapshot);
      PolicyDecision drl = decider.decide(pod, snapshot);
      List<Ranked> got = optaPlanner(opta, context, pod, snapshot);
      String at = "case " + i + ", pod " + pod;

      Optional<String> best = got.isEmpty() ? Optional.empty() : Optional.of(got.get(0).node());
      assertThat(best).as("OptaPlanner vs oracle, " + at).isEqualTo(want.best());
      assertThat(best).as("OptaPlanner vs DRL, " + at).isEqualTo(drl.chosen());
      assertThat(got.stream().map(Ranked::node).toList())
          .as("OptaPlanner vs oracle ranking, " + at)
          .isEqualTo(want.ranking().stream().map(GpuPolicyOracle.Scored::node).toList());
      assertThat(got.stream().map(Ranked::node).toList())
          .as("OptaPlanner vs DRL ranking, " + at)
          .isEqualTo(
              drl.ranked().stream()
                  .filter(NodeExplanation::eligible)
                  .map(NodeExplanation::node)
                  .toList());
      for (int r = 0; r < got.size(); r++) {
        GpuPolicyOracle.Scored w = want.ranking().get(r);
        assertThat(got.get(r).points())
            .as("points of %s, %s", w.node(), at)
            .isEqualByComparingTo(new BigDecimal(w.total()));
        assertThat(got.get(r).devices())
            .as("devices on %s, %s", w.node(), at)
            .isEqualTo(w.devices());
      }
      if (!got.isEmpty()) {
        placed++;
        if (got.size() > 1 && got.get(0).points().compareTo(got.get(1).points()) == 0) {
          ties++;
        }
      }
    }
    assertThat(placed).isGreaterThan(CASES / 3);
    assertThat(ties).isGreaterThan(CASES / 50);
  }

  /** One fitting node as the constraints score it. */
  record Ranked(String node, BigDecimal points, List<List<ContainerDevice>> devices) {}

  /** Scores the pod fixed on each node in turn; ranks fitting nodes by soft score, stable. */
  private static List<Ranked> optaPlanner(
      SolutionManager<PlacementSolution, HardSoftBigDecimalScore> manager,
      PlanContext context,
      PodRequest pod,
      ClusterSnapshot snapshot) {
    var nodes = new ArrayList<PlanNode>();
    int pos = 0;
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      nodes.add(new PlanNode(pos++, s.node(), s.usage(), s.pods(), s.usage(), context));
    }
    PodPlan plan = PodPlan.of(pod, context.options().defaultGpuPolicy(), null);
    var out = new ArrayList<Ranked>();
    for (PlanNode n : nodes) {
      var slot = new PodSlot(0, pod, plan, nodes, n);
      HardSoftBigDecimalScore score = manager.update(new PlacementSolution(nodes, List.of(slot)));
      if (score.hardScore().signum() != 0) {
        continue;
      }
      var containers = NodeLoad.of(n, List.of(slot)).outcomes().get(0).placed().containers();
      out.add(new Ranked(n.name(), score.softScore(), containers));
    }
    // stable: equal scores keep snapshot order, the documented tie-break
    out.sort(Comparator.comparing(Ranked::points).reversed());
    return out;
  }
}
