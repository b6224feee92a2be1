package dev.tessera.cli;

import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.NodeVerdict;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.drl.ScoreBreakdown;
import java.util.ArrayList;

/** Re-ranks the engine's verdicts by a DRL policy's totals. */
final class PolicyDecisions {
  private PolicyDecisions() {}

  /**
   * The decision with the DRL policy's choice: the best eligible node of {@code ranking} (ties to
   * the earlier node), its devices from the engine's fit, and each verdict's score replaced by the
   * policy total; a vetoed node is shown as rejected with the veto's rule and reason.
   */
  static Decision rank(Decision engineDecision, Ranking ranking) {
    var verdicts = new ArrayList<NodeVerdict>();
    for (NodeVerdict v : engineDecision.verdicts()) {
      ScoreBreakdown b = ranking.node(v.node()).orElse(null);
      if (b == null || !v.fits()) {
        verdicts.add(v);
      } else if (!b.vetoes().isEmpty()) {
        var veto = b.vetoes().get(0);
        verdicts.add(NodeVerdict.rejected(v.node(), veto.rule() + ": " + veto.reason()));
      } else {
        verdicts.add(new NodeVerdict(v.node(), true, b.total(), "", v.containers()));
      }
    }
    var best = ranking.best();
    if (best.isEmpty()) {
      return new Decision.Rejected(verdicts);
    }
    var chosen =
        verdicts.stream().filter(v -> v.node().equals(best.get().node())).findFirst().orElseThrow();
    return new Decision.Placed(chosen.node(), chosen.containers(), verdicts);
  }
}
