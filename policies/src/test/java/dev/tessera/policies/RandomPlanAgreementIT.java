package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.drl.PolicyScorer;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.drl.ScoreBreakdown;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.FgdFeatures;
import dev.tessera.policies.facts.FgdFit;
import dev.tessera.policies.facts.FgdNodeState;
import dev.tessera.policies.facts.HostFree;
import dev.tessera.policies.facts.ScoringRequest;
import dev.tessera.policies.plan.FgdView;
import dev.tessera.policies.plan.PlacementSolution;
import dev.tessera.policies.plan.PlanContext;
import dev.tessera.policies.plan.PlanNode;
import dev.tessera.policies.plan.PlanPolicies;
import dev.tessera.policies.plan.PodSlot;
import dev.tessera.policies.plan.RandomConstraints;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;
import org.optaplanner.core.api.solver.SolutionManager;

/**
 * The {@code random} policy's two forms choose the same node for the same seed and candidates: the
 * DRL rules given the node {@link RandomConstraints#drawn} picks among the fitting nodes (as the
 * simulator's caller draws it), and the OptaPlanner constraints scoring a one-pod solution fixed on
 * each node in turn, whose candidates are the nodes the pod fits on alone. Over 1,000 seeded
 * clusters and pods, the eligible nodes come out in the same order with the same points.
 */
class RandomPlanAgreementIT {
  private static final int CASES = 1_000;
  private static final long SEED = 5_2026_1123L;

  /** Random reads no fragmentation; FgdNodeState needs some measure all the same. */
  private static final Fragmentation FRAG =
      new Fragmentation(TargetWorkload.fromPods(List.of(FgdPod.of(1_000, 1, 1_000))));

  record Entry(String node, BigDecimal points) {}

  @Test
  void drlAndOptaPlannerPickTheSameNodeForTheSameSeed() {
    PolicyScorer drl = new PolicyRegistry().builtIn(PolicyRegistry.RANDOM).scorer();
    SolutionManager<PlacementSolution, HardSoftBigDecimalScore> opta =
        new PlanPolicies().solutionManager(RandomConstraints.NAME);
    var options = PlanPolicies.options(RandomConstraints.NAME, Engine.Options.DEFAULTS);
    var gen = new RandomGpuClusters(SEED);
    int choices = 0;
    int notFirst = 0;
    for (int i = 0; i < CASES; i++) {
      ClusterSnapshot snapshot = gen.snapshot();
      PodRequest pod = gen.pod(i);
      long seed = SEED * 31 + i;
      PodPlan plan = PodPlan.of(pod, options.defaultGpuPolicy(), null);
      var context = new PlanContext(options, Optional.empty(), seed);

      // the candidates: every node the engine's fit places the pod on, snapshot order
      var nodes = new ArrayList<PlanNode>();
      var fits = new ArrayList<FgdFit>();
      var fitting = new ArrayList<PlanNode>();
      int pos = 0;
      for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
        PlanNode n = new PlanNode(pos++, s.node(), s.usage(), s.pods(), s.usage(), context);
        nodes.add(n);
        var state =
            FgdNodeState.of(
                s.node().name(), s.usage(), s.pods(), new HostFree(64_000, 256_000, 110), FRAG);
        FgdPod shape = FgdView.pod(pod.requests(), pod.initContainerCount(), s.usage());
        FgdFit fit = FeatureExtractor.fgd(plan, shape, state, s.node(), s.usage());
        fits.add(fit);
        if (fit.fits()) {
          fitting.add(n);
        }
      }
      int drawn = RandomConstraints.drawn(seed, fitting.size());
      var facts = new ArrayList<FgdFeatures>();
      for (int f = 0, c = 0; f < fits.size(); f++) {
        boolean picked = fits.get(f).fits() && c++ == drawn;
        facts.add(new FgdFeatures(fits.get(f), picked));
      }
      Ranking ranking = drl.score(ScoringRequest.of(pod), facts);
      List<Entry> rules =
          ranking.ranked().stream()
              .filter(ScoreBreakdown::eligible)
              .map(b -> new Entry(b.node(), norm(new BigDecimal(b.total()))))
              .toList();

      var constraints = new ArrayList<Entry>();
      for (PlanNode n : fitting) {
        var slot = new PodSlot(0, pod, plan, fitting, n);
        HardSoftBigDecimalScore score = opta.update(new PlacementSolution(nodes, List.of(slot)));
        assertThat(score.hardScore().signum()).isZero();
        constraints.add(new Entry(n.name(), norm(score.softScore())));
      }
      constraints.sort(Comparator.comparing(Entry::points).reversed()); // stable

      String at = "case " + i + ", seed " + seed + ", pod " + pod;
      assertThat(constraints).as(at).isEqualTo(rules);
      if (fitting.size() >= 2) {
        choices++;
        if (drawn > 0) {
          notFirst++;
        }
      }
    }
    // the draw must have had real choices to make, and not always the first node
    assertThat(choices).isGreaterThan(CASES / 3);
    assertThat(notFirst).isGreaterThan(CASES / 10);
  }

  private static BigDecimal norm(BigDecimal d) {
    return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
  }
}
