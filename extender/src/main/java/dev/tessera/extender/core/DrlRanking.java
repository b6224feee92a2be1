package dev.tessera.extender.core;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.decision.NodeExplanation;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.engine.decision.RuleVeto;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.CombinedPolicy;
import dev.tessera.policies.drl.Policy;
import dev.tessera.policies.drl.PolicyDecider;
import dev.tessera.policies.drl.PolicyHolder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A DRL policy's ranking through {@link PolicyDecider}, the one policy-path decision that {@code
 * tessera explain} and the simulator use too, so a pod is ranked the same way everywhere. The
 * policy may be a weighted combination ({@code fgd=1000,topology=10}); a fitting node's preference
 * is its weighted total. A vetoed node is filtered out naming the policy, the rule and its reason.
 */
public final class DrlRanking implements NodeRanking {
  private final Supplier<PolicyDecider> decider;

  /** Ranks with {@code policy}; the GPU policy it fixes, if any, replaces the scheduler's. */
  public DrlRanking(CombinedPolicy policy, Engine.Options options) {
    PolicyDecider fixed = new PolicyDecider(policy, options);
    this.decider = () -> fixed;
  }

  private DrlRanking(Supplier<PolicyDecider> decider) {
    this.decider = decider;
  }

  /**
   * Ranks with whatever policy {@code holder} serves now (a policy directory swaps it on reload);
   * one call uses one policy throughout.
   */
  public static DrlRanking following(PolicyHolder holder, Engine.Options options) {
    var current = new AtomicReference<PolicyDecider>();
    return new DrlRanking(
        () -> {
          Policy serving = holder.current().policy();
          PolicyDecider d = current.get();
          if (d == null || d.policy().parts().get(0).policy() != serving) {
            // A reload happened: later calls share the new decider and its warm sessions.
            d = new PolicyDecider(CombinedPolicy.single(serving, ""), options);
            current.set(d);
          }
          return d;
        });
  }

  @Override
  public String name() {
    return decider.get().policy().name();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The policy decides without quotas; its fitting nodes are then checked under the quota by the
   * engine's node evaluation with the scheduler's GPU policy.
   */
  @Override
  public List<NodeResult> evaluate(
      PodRequest pod, List<Candidate> candidates, Optional<NamespaceQuota> quota) {
    List<NodeResult> results = evaluate(pod, candidates);
    if (quota.isEmpty()) {
      return results;
    }
    PodPlan plan = PodPlan.of(pod, decider.get().options().defaultGpuPolicy(), quota.get().state());
    return Rejections.underQuota(plan, pod, candidates, results);
  }

  @Override
  public List<NodeResult> evaluate(PodRequest pod, List<Candidate> candidates) {
    PolicyDecider d = decider.get();
    var states = new ArrayList<ClusterSnapshot.NodeState>(candidates.size());
    for (Candidate c : candidates) {
      if (c.isUsable()) {
        states.add(c.state());
      }
    }
    PolicyDecision decision = d.decideOn(pod, states);
    PodPlan plan = PodPlan.of(pod, d.options().defaultGpuPolicy(), null);
    var out = new ArrayList<NodeResult>(candidates.size());
    int next = 0;
    for (Candidate c : candidates) {
      if (!c.isUsable()) {
        out.add(Rejections.unusable(c));
        continue;
      }
      NodeExplanation e = decision.nodes().get(next++);
      switch (e.verdict()) {
        case CHOSEN, ELIGIBLE -> out.add(NodeResult.feasible(c.name(), e.total()));
        case DOES_NOT_FIT -> out.add(Rejections.rejected(plan, pod, c, e.reason()));
        case VETOED -> {
          RuleVeto v = e.vetoes().get(0);
          out.add(
              new NodeResult(
                  c.name(),
                  NodeResult.Outcome.FAILED,
                  0,
                  "policy " + v.policy() + " rule \"" + v.rule() + "\": " + v.reason()));
        }
      }
    }
    return out;
  }
}
