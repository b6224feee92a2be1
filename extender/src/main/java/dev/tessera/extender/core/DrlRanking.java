package dev.tessera.extender.core;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.policies.drl.PolicyHolder;
import dev.tessera.policies.drl.PolicyScorer;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.drl.ScoreBreakdown;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.NodeFeatures;
import dev.tessera.policies.facts.ScoringRequest;
import dev.tessera.policies.facts.Veto;
import java.util.ArrayList;
import java.util.List;

/**
 * A DRL policy's ranking: features from the engine's fit per candidate ({@link FeatureExtractor}),
 * then the serving policy of {@link PolicyHolder} (which a reload may swap at any time; each call
 * uses one policy throughout). A vetoed node is filtered out with the rule's name and reason.
 */
public final class DrlRanking implements NodeRanking {
  private final PolicyHolder holder;
  private final Engine.Options options;

  public DrlRanking(PolicyHolder holder, Engine.Options options) {
    this.holder = holder;
    this.options = options;
  }

  @Override
  public String name() {
    return holder.current().policy().name();
  }

  @Override
  public List<NodeResult> evaluate(PodRequest pod, List<Candidate> candidates) {
    PodPlan plan = PodPlan.of(pod, options.defaultGpuPolicy(), null);
    var features = new ArrayList<NodeFeatures>(candidates.size());
    for (Candidate c : candidates) {
      if (c.isUsable()) {
        features.add(FeatureExtractor.of(plan, c.node(), c.usage()));
      }
    }
    PolicyScorer scorer = holder.current();
    Ranking ranking = scorer.score(ScoringRequest.of(pod), features);
    var out = new ArrayList<NodeResult>(candidates.size());
    int next = 0;
    for (Candidate c : candidates) {
      if (!c.isUsable()) {
        out.add(Rejections.unusable(c));
        continue;
      }
      NodeFeatures f = features.get(next);
      ScoreBreakdown b = ranking.nodes().get(next);
      next++;
      if (!f.fits()) {
        out.add(Rejections.rejected(plan, pod, c, f.reason()));
      } else if (!b.vetoes().isEmpty()) {
        Veto v = b.vetoes().get(0);
        out.add(
            new NodeResult(
                c.name(),
                NodeResult.Outcome.FAILED,
                0,
                "policy " + scorer.policy().name() + " rule \"" + v.rule() + "\": " + v.reason()));
      } else {
        out.add(NodeResult.feasible(c.name(), b.total()));
      }
    }
    return out;
  }
}
