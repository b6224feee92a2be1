package dev.tessera.policies;

import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plain-Java reference for HAMi's node binpack and spread (hami-compat §7.4): evaluate every node
 * with the engine's fit (fit is never written twice), keep those that fit, order binpack by node
 * score descending and spread ascending; equal scores keep snapshot order (the earlier node wins).
 */
final class NodePolicyOracle {
  /** One fitting node, its HAMi node score before the pod and the devices the fit chose. */
  record Ranked(String node, float score, List<List<ContainerDevice>> containers) {}

  private NodePolicyOracle() {}

  /** Fitting nodes, best first, for {@code policy} ({@code binpack} or {@code spread}). */
  static List<Ranked> rank(
      String policy, PodRequest pod, ClusterSnapshot snapshot, String gpuPolicy) {
    PodPlan plan = PodPlan.of(pod, gpuPolicy, null);
    var out = new ArrayList<Ranked>();
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      if (NodeEvaluator.evaluate(plan, s.node(), s.usage()) instanceof NodeEvaluator.Placed p) {
        out.add(new Ranked(s.node().name(), p.score(), p.containers()));
      }
    }
    Comparator<Ranked> byScore = Comparator.comparingDouble(Ranked::score);
    // List.sort is stable: equal scores keep snapshot order.
    out.sort("spread".equals(policy) ? byScore : byScore.reversed());
    return out;
  }
}
