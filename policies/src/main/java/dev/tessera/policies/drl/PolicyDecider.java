package dev.tessera.policies.drl;

import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.decision.NodeExplanation;
import dev.tessera.engine.decision.NodeVerdict;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.engine.decision.RulePoints;
import dev.tessera.engine.decision.RuleVeto;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.quota.QuotaState;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.NodeFeatures;
import dev.tessera.policies.facts.PlacementFeatures;
import dev.tessera.policies.facts.ScoringRequest;
import dev.tessera.policies.facts.Veto;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Places one pod with a (possibly weighted, combined) DRL policy: the policy-path counterpart of
 * {@link Engine#decide}, which the extender, the simulator and {@code tessera explain} call. Each
 * candidate is evaluated once with the engine's fit (devices chosen with the policy's GPU policy,
 * else the scheduler's); the same evaluation yields the rules' facts and the devices of the
 * decision. The eligible node (fits, not vetoed) with the highest total wins; equal totals go to
 * the earlier candidate, as in {@code Engine.decide}.
 *
 * <p>Thread-safe: each part's {@link PolicyScorer} keeps its own pool of warm sessions.
 */
public final class PolicyDecider {
  private final CombinedPolicy policy;
  private final Engine.Options options;
  private final Optional<QuotaState> quota;
  private final List<Scorer> scorers;

  /** One part's scoring: afresh ({@link PolicyScorer}) or incremental. */
  @FunctionalInterface
  private interface Scorer {
    Ranking score(
        ScoringRequest request, List<NodeFeatures> nodes, List<PlacementFeatures> placements);
  }

  /** Whether some rule reads {@link PlacementFeatures}; if none does, they are not computed. */
  private final boolean readsPlacements;

  public PolicyDecider(CombinedPolicy policy, Engine.Options options) {
    this(policy, options, Optional.empty());
  }

  /**
   * @param options the scheduler's defaults; the GPU policy default is replaced by the one the
   *     policy fixes, if any (a pod's {@code hami.io/gpu-scheduler-policy} still wins, as in HAMi)
   * @param quota the quota cache the fit asks, if quotas are tracked
   */
  public PolicyDecider(CombinedPolicy policy, Engine.Options options, Optional<QuotaState> quota) {
    this(policy, options, quota, true);
  }

  /**
   * @param incremental keep each part's facts in warm sessions between decisions and re-insert only
   *     the nodes whose facts changed, for parts whose rules each read one node (see {@code
   *     IncrementalScorer}); the result is the same either way, {@code false} scores every node
   *     afresh each time
   */
  public PolicyDecider(
      CombinedPolicy policy,
      Engine.Options options,
      Optional<QuotaState> quota,
      boolean incremental) {
    this.policy = policy;
    String gpu = policy.gpuPolicy();
    this.options = gpu.isEmpty() ? options : new Engine.Options(options.defaultNodePolicy(), gpu);
    this.quota = quota;
    var s = new ArrayList<Scorer>(policy.parts().size());
    boolean usesPlacements = false;
    for (CombinedPolicy.Part p : policy.parts()) {
      if (incremental) {
        IncrementalScorer inc = new IncrementalScorer(p.policy());
        s.add(inc::score);
      } else {
        PolicyScorer fresh = p.policy().scorer();
        s.add(fresh::score);
      }
      usesPlacements |= FactUse.matches(p.policy().kieBase(), PlacementFeatures.class);
    }
    this.readsPlacements = usesPlacements;
    this.scorers = List.copyOf(s);
  }

  public CombinedPolicy policy() {
    return policy;
  }

  /** The engine options the fit runs with (the policy's GPU policy as the default). */
  public Engine.Options options() {
    return options;
  }

  /** Decides {@code pod} over every node of {@code snapshot}, in snapshot order. */
  public PolicyDecision decide(PodRequest pod, ClusterSnapshot snapshot) {
    return decideOver(pod, snapshot.nodes(), null);
  }

  /**
   * Decides {@code pod} over {@code candidates}; a name the snapshot does not know is rejected as
   * {@link Engine#NODE_UNREGISTERED}, as {@code Engine.decide} does.
   *
   * @throws dev.tessera.engine.fit.InvalidScoringWeightsException when the pod's {@code
   *     hami.io/device-scoring-weights} is invalid
   * @throws PolicyEvaluationException when a rule throws, loops or scores a non-candidate
   */
  public PolicyDecision decide(
      PodRequest pod, ClusterSnapshot snapshot, Collection<String> candidates) {
    var states = new ArrayList<ClusterSnapshot.NodeState>(candidates.size());
    for (String name : candidates) {
      states.add(snapshot.node(name).orElse(null));
    }
    return decideOver(pod, states, new ArrayList<>(candidates));
  }

  /**
   * Decides {@code pod} over {@code nodes}, in that order: nodes a caller assembled itself (the
   * extender's candidates, each with its pods and device usage), not read from one snapshot.
   */
  public PolicyDecision decideOn(PodRequest pod, List<ClusterSnapshot.NodeState> nodes) {
    return decideOver(pod, nodes, null);
  }

  private PolicyDecision decideOver(
      PodRequest pod, List<ClusterSnapshot.NodeState> states, List<String> names) {
    PodPlan plan = PodPlan.of(pod, options.defaultGpuPolicy(), quota.orElse(null));
    int n = states.size();
    var features = new ArrayList<NodeFeatures>(n);
    var placements = new ArrayList<PlacementFeatures>(n);
    @SuppressWarnings("unchecked")
    List<List<ContainerDevice>>[] devices = new List[n];
    String tenant = pod.namespace();
    for (int i = 0; i < n; i++) {
      ClusterSnapshot.NodeState s = states.get(i);
      if (s == null) {
        continue;
      }
      NodeEvaluator.Outcome outcome = NodeEvaluator.evaluate(plan, s.node(), s.usage());
      NodeFeatures f = FeatureExtractor.of(plan, s.node(), s.usage(), outcome);
      features.add(f);
      if (readsPlacements) {
        placements.add(FeatureExtractor.placement(s, f, tenant));
      }
      if (outcome instanceof NodeEvaluator.Placed placed) {
        devices[i] = placed.containers();
      }
    }
    ScoringRequest request = ScoringRequest.of(pod);
    var rankings = new ArrayList<Ranking>(scorers.size());
    for (Scorer scorer : scorers) {
      rankings.add(scorer.score(request, features, placements));
    }
    return assemble(states, names, features, devices, rankings);
  }

  /**
   * {@code rules} followed by the rules of {@code b} with {@code part}'s name and weight. A node
   * usually gets one rule from one policy, so that case allocates a single-element list only.
   */
  private static List<RulePoints> append(
      List<RulePoints> rules, CombinedPolicy.Part part, ScoreBreakdown b) {
    Map<String, Double> points = b.rules();
    if (points.isEmpty()) {
      return rules;
    }
    if (rules.isEmpty() && points.size() == 1) {
      Map.Entry<String, Double> r = points.entrySet().iterator().next();
      return List.of(new RulePoints(part.name(), r.getKey(), r.getValue(), part.weight()));
    }
    var out = new ArrayList<RulePoints>(rules.size() + points.size());
    out.addAll(rules);
    for (Map.Entry<String, Double> r : points.entrySet()) {
      out.add(new RulePoints(part.name(), r.getKey(), r.getValue(), part.weight()));
    }
    return out;
  }

  private PolicyDecision assemble(
      List<ClusterSnapshot.NodeState> states,
      List<String> names,
      List<NodeFeatures> features,
      List<List<ContainerDevice>>[] devices,
      List<Ranking> rankings) {
    int n = states.size();
    var explanations = new NodeExplanation[n];
    var verdicts = new NodeVerdict[n];
    int best = -1;
    double bestTotal = 0;
    int known = 0;
    for (int i = 0; i < n; i++) {
      ClusterSnapshot.NodeState s = states.get(i);
      if (s == null) {
        String name = names.get(i);
        explanations[i] =
            new NodeExplanation(
                name,
                NodeExplanation.Verdict.DOES_NOT_FIT,
                Engine.NODE_UNREGISTERED,
                List.of(),
                0,
                List.of());
        verdicts[i] = NodeVerdict.rejected(name, Engine.NODE_UNREGISTERED);
        continue;
      }
      NodeFeatures f = features.get(known);
      List<RulePoints> rules = List.of();
      List<RuleVeto> vetoes = List.of();
      double total = 0;
      for (int p = 0; p < rankings.size(); p++) {
        CombinedPolicy.Part part = policy.parts().get(p);
        ScoreBreakdown b = rankings.get(p).nodes().get(known);
        rules = append(rules, part, b);
        for (Veto v : b.vetoes()) {
          vetoes = vetoes.isEmpty() ? new ArrayList<>(2) : vetoes;
          vetoes.add(new RuleVeto(part.name(), v.rule(), v.reason()));
        }
        total += part.weight() * b.total();
      }
      known++;
      NodeExplanation.Verdict verdict;
      if (!f.fits()) {
        verdict = NodeExplanation.Verdict.DOES_NOT_FIT;
        verdicts[i] = NodeVerdict.rejected(f.node(), f.reason());
      } else if (!vetoes.isEmpty()) {
        verdict = NodeExplanation.Verdict.VETOED;
        RuleVeto v = vetoes.get(0);
        verdicts[i] =
            NodeVerdict.rejected(f.node(), "vetoed by \"" + v.rule() + "\": " + v.reason());
      } else {
        verdict = NodeExplanation.Verdict.ELIGIBLE;
        verdicts[i] = NodeVerdict.fits(f.node(), total, devices[i]);
        if (best < 0 || total > bestTotal) {
          best = i;
          bestTotal = total;
        }
      }
      explanations[i] = new NodeExplanation(f.node(), verdict, f.reason(), rules, total, vetoes);
    }
    // Immutable already, so the records' List.copyOf keeps it rather than copying 1,000 entries.
    List<NodeVerdict> verdictList = List.of(verdicts);
    Decision decision;
    if (best < 0) {
      decision = new Decision.Rejected(verdictList);
    } else {
      NodeExplanation e = explanations[best];
      explanations[best] =
          new NodeExplanation(
              e.node(),
              NodeExplanation.Verdict.CHOSEN,
              e.reason(),
              e.rules(),
              e.total(),
              e.vetoes());
      decision = new Decision.Placed(e.node(), devices[best], verdictList);
    }
    return new PolicyDecision(policy.name(), decision, List.of(explanations));
  }
}
