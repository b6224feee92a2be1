package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.drl.PolicyScorer;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.drl.ScoreBreakdown;
import dev.tessera.policies.facts.ChosenDevice;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.NodeFeatures;
import dev.tessera.policies.facts.ScoringRequest;
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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;
import org.optaplanner.core.api.solver.SolutionManager;

/**
 * The three forms of HAMi's node binpack and spread agree: the built-in DRL policy (PolicyScorer
 * ranking), the OptaPlanner constraints (the score of a one-pod solution fixed on each node in
 * turn) and the plain-Java {@link NodePolicyOracle}. Over 1,000 seeded clusters and pods per node
 * policy and GPU policy (binpack or spread: it decides which devices the engine's fit chooses) they
 * give the same eligible nodes in the same order (the best first; equal scores: the earlier node in
 * snapshot order wins), the same points and the same chosen devices. A failure names the seed that
 * regenerates the case ({@code new RandomClusters(seed)}).
 */
class PlanAgreementIT {
  private static final int CASES = 1_000;
  private static final long BASE_SEED = 4_2026_1123L;

  /** One eligible node as a form ranks it: points and chosen devices per container. */
  record Entry(String node, BigDecimal points, List<List<String>> devices) {}

  @ParameterizedTest(
      name = "node {0}, GPU {1}: DRL, OptaPlanner and the oracle rank nodes and devices alike")
  @CsvSource({"binpack,spread", "spread,spread", "binpack,binpack", "spread,binpack"})
  void threeFormsAgree(String policy, String gpuPolicy) {
    // The GPU policy orders devices inside the engine's fit; all three forms must inherit it.
    var options = new Engine.Options(policy, gpuPolicy);
    PolicyScorer drl = new PolicyRegistry().builtIn(policy).scorer();
    SolutionManager<PlacementSolution, HardSoftBigDecimalScore> opta =
        new PlanPolicies().solutionManager(policy);
    int placed = 0;
    int ties = 0;
    for (int i = 0; i < CASES; i++) {
      long seed = BASE_SEED + 31L * i + policy.hashCode() + 7L * gpuPolicy.hashCode();
      var gen = new RandomClusters(seed);
      ClusterSnapshot snapshot = gen.snapshot();
      PodRequest pod = gen.pod(i);

      List<Entry> oracle = oracle(policy, pod, snapshot, options);
      List<Entry> rules = drl(drl, pod, snapshot, options);
      List<Entry> constraints = optaPlanner(opta, pod, snapshot, options);

      String label =
          String.format(
              "policy %s, GPU policy %s, case %d, seed %d (new RandomClusters(seed):"
                  + " snapshot(), pod(%d)), pod %s",
              policy, gpuPolicy, i, seed, i, pod);
      assertThat(rules).as("DRL vs oracle: %s", label).isEqualTo(oracle);
      assertThat(constraints).as("OptaPlanner vs oracle: %s", label).isEqualTo(oracle);
      if (!oracle.isEmpty()) {
        placed++;
        if (oracle.size() > 1 && oracle.get(0).points().compareTo(oracle.get(1).points()) == 0) {
          ties++;
        }
      }
    }
    // The generator must exercise placements and ties, or the property says little.
    assertThat(placed).isGreaterThan(CASES / 3);
    assertThat(ties).isGreaterThan(CASES / 50);
  }

  private static List<Entry> oracle(
      String policy, PodRequest pod, ClusterSnapshot snapshot, Engine.Options options) {
    boolean spread = PolicyRegistry.SPREAD.equals(policy);
    return NodePolicyOracle.rank(policy, pod, snapshot, options.defaultGpuPolicy()).stream()
        .map(
            r ->
                new Entry(
                    r.node(), points(spread ? -r.score() : r.score()), devices(r.containers())))
        .toList();
  }

  private static List<Entry> drl(
      PolicyScorer scorer, PodRequest pod, ClusterSnapshot snapshot, Engine.Options options) {
    List<NodeFeatures> features = FeatureExtractor.forSnapshot(pod, snapshot, options);
    Map<String, NodeFeatures> byNode =
        features.stream().collect(Collectors.toMap(NodeFeatures::node, f -> f));
    Ranking ranking = scorer.score(ScoringRequest.of(pod), features);
    var out = new ArrayList<Entry>();
    for (ScoreBreakdown b : ranking.ranked()) {
      if (!b.eligible()) {
        continue;
      }
      out.add(
          new Entry(
              b.node(),
              points(b.total()),
              chosen(byNode.get(b.node()).chosen(), pod.requests().size())));
    }
    return out;
  }

  /** Scores the pod fixed on each node in turn; ranks feasible nodes by soft score, stable. */
  private static List<Entry> optaPlanner(
      SolutionManager<PlacementSolution, HardSoftBigDecimalScore> manager,
      PodRequest pod,
      ClusterSnapshot snapshot,
      Engine.Options options) {
    PlanContext context = PlanContext.of(options);
    var nodes = new ArrayList<PlanNode>();
    int pos = 0;
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      nodes.add(new PlanNode(pos++, s.node(), s.usage(), s.pods(), s.usage(), context));
    }
    PodPlan plan = PodPlan.of(pod, options.defaultGpuPolicy(), null);
    var out = new ArrayList<Entry>();
    for (PlanNode n : nodes) {
      var slot = new PodSlot(0, pod, plan, nodes, n);
      var solution = new PlacementSolution(nodes, List.of(slot));
      HardSoftBigDecimalScore score = manager.update(solution);
      if (score.hardScore().signum() != 0) {
        continue;
      }
      var containers = NodeLoad.of(n, List.of(slot)).outcomes().get(0).placed().containers();
      out.add(new Entry(n.name(), norm(score.softScore()), devices(containers)));
    }
    // stable: equal scores keep snapshot order
    out.sort(Comparator.comparing(Entry::points).reversed());
    return out;
  }

  /** Exact value of a float or double score, scale-free so equal values compare equal. */
  private static BigDecimal points(double v) {
    return norm(new BigDecimal(v));
  }

  private static BigDecimal norm(BigDecimal d) {
    return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
  }

  private static List<List<String>> devices(List<List<ContainerDevice>> containers) {
    return containers.stream()
        .map(
            c ->
                c.stream().map(d -> d.uuid() + ":" + d.usedMemMiB() + ":" + d.usedCores()).toList())
        .toList();
  }

  private static List<List<String>> chosen(List<ChosenDevice> chosen, int containers) {
    var out = new ArrayList<List<String>>();
    for (int c = 0; c < containers; c++) {
      int container = c;
      out.add(
          chosen.stream()
              .filter(d -> d.container() == container)
              .map(d -> d.uuid() + ":" + d.memMiB() + ":" + d.cores())
              .toList());
    }
    return out;
  }
}
