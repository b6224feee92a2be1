package dev.tessera.extender.core;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.fit.Scores;
import dev.tessera.engine.model.PodRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * HAMi's own node policy, in plain Java: the engine's node evaluation (the one {@link
 * Engine#decide} runs per candidate) for fit, and the HAMi node score ordered by the pod's node
 * policy (binpack: busier is better; spread: idler is better) for preference. The default, and the
 * fastest path.
 */
public final class EngineRanking implements NodeRanking {
  /** The name {@code --policy} selects this ranking by. */
  public static final String NAME = "hami";

  private final Engine engine;
  private final Engine.Options options;

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
    PodPlan plan = PodPlan.of(pod, options.defaultGpuPolicy(), null);
    // Scores.nodeLess says which way the pod's node policy orders scores; preference must grow.
    boolean higherIsBetter = Scores.nodeLess(engine.nodePolicy(pod), 0f, 1f);
    var out = new ArrayList<NodeResult>(candidates.size());
    for (Candidate c : candidates) {
      if (!c.isUsable()) {
        out.add(Rejections.unusable(c));
        continue;
      }
      var outcome = NodeEvaluator.evaluate(plan, c.node(), c.usage());
      if (outcome instanceof NodeEvaluator.Placed placed) {
        out.add(NodeResult.feasible(c.name(), higherIsBetter ? placed.score() : -placed.score()));
      } else {
        String rule = ((NodeEvaluator.Rejected) outcome).reason();
        out.add(Rejections.rejected(plan, pod, c, rule));
      }
    }
    return out;
  }
}
