package dev.tessera.extender.core;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.fit.Scores;
import dev.tessera.engine.model.PodRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HAMi's own node policy, in plain Java: the engine's node evaluation (the one {@link
 * Engine#decide} runs per candidate) for fit, and the HAMi node score ordered by the pod's node
 * policy (binpack: busier is better; spread: idler is better) for preference. The default, and the
 * fastest path: a node unchanged since a pod of the same shape was evaluated is not evaluated again
 * ({@link EquivalenceCache}).
 */
public final class EngineRanking implements NodeRanking {
  /** The name {@code --policy} selects this ranking by. */
  public static final String NAME = "hami";

  private final Engine engine;
  private final Engine.Options options;
  private final EquivalenceCache cache = new EquivalenceCache();

  public EngineRanking(Engine.Options options) {
    this.options = options;
    this.engine = new Engine(options);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<NodeResult> evaluate(PodRequest pod, List<Candidate> candidates) {
    return evaluate(pod, candidates, Optional.empty());
  }

  /**
   * {@inheritDoc}
   *
   * <p>The quota's limits and usage are part of the cached shape: a node result is reused only
   * while the namespace's usage and limits are what they were when it was computed.
   */
  @Override
  public List<NodeResult> evaluate(
      PodRequest pod, List<Candidate> candidates, Optional<NamespaceQuota> quota) {
    PodPlan plan =
        PodPlan.of(pod, options.defaultGpuPolicy(), quota.map(NamespaceQuota::state).orElse(null));
    // Scores.nodeLess says which way the pod's node policy orders scores; preference must grow.
    boolean higherIsBetter = Scores.nodeLess(engine.nodePolicy(pod), 0f, 1f);
    EquivalenceCache.Memo memo =
        cache.forShape(
            new EquivalenceCache.Shape(
                plan.requests(),
                plan.initCount(),
                plan.selectors(),
                higherIsBetter,
                quota.map(NamespaceQuota::key).orElse(null)));
    var out = new ArrayList<NodeResult>(candidates.size());
    for (Candidate c : candidates) {
      if (!c.isUsable()) {
        out.add(Rejections.unusable(c));
        continue;
      }
      NodeResult known = memo.get(c);
      if (known == null) {
        known = evaluate(plan, pod, c, higherIsBetter);
        memo.put(c, known);
      }
      out.add(known);
    }
    return out;
  }

  private static NodeResult evaluate(
      PodPlan plan, PodRequest pod, Candidate c, boolean higherIsBetter) {
    // filter needs only "fits" and the score: skip choosing devices when the fit is certain
    Float certain = NodeEvaluator.certainScore(plan, c.node(), c.usage());
    if (certain != null) {
      return NodeResult.feasible(c.name(), higherIsBetter ? certain : -certain);
    }
    var outcome = NodeEvaluator.evaluate(plan, c.node(), c.usage());
    if (outcome instanceof NodeEvaluator.Placed placed) {
      return NodeResult.feasible(c.name(), higherIsBetter ? placed.score() : -placed.score());
    }
    String rule = ((NodeEvaluator.Rejected) outcome).reason();
    return Rejections.rejected(plan, pod, c, rule);
  }
}
