package dev.tessera.extender.core;

import dev.tessera.extender.wire.HostPriority;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps policy preferences to kube-scheduler's 0..10 extender scores: feasible nodes are scaled
 * linearly between the least preferred (1) and the most preferred (10), rounding half up; when all
 * feasible nodes are equally preferred each gets 10; infeasible nodes get 0. A min–max scale,
 * because the raw numbers have no fixed range (HAMi node scores run 0..30, DRL totals are whatever
 * the rules add) and only the order and relative gaps matter to the scheduler.
 */
public final class Priorities {
  private Priorities() {}

  /** One priority per result, same order. */
  public static List<HostPriority> map(List<NodeResult> results) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (NodeResult r : results) {
      if (r.feasible()) {
        min = Math.min(min, r.preference());
        max = Math.max(max, r.preference());
      }
    }
    var out = new ArrayList<HostPriority>(results.size());
    for (NodeResult r : results) {
      out.add(new HostPriority(r.node(), score(r, min, max)));
    }
    return out;
  }

  private static long score(NodeResult r, double min, double max) {
    if (!r.feasible()) {
      return 0;
    }
    if (!(max > min)) {
      return HostPriority.MAX;
    }
    return 1 + Math.round((HostPriority.MAX - 1) * (r.preference() - min) / (max - min));
  }
}
