package dev.tessera.policies.drl;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A policy's verdict over the candidate nodes of one decision.
 *
 * @param nodes one breakdown per candidate, in the order the candidates were given
 */
public record Ranking(List<ScoreBreakdown> nodes) {
  public Ranking {
    nodes = List.copyOf(nodes);
  }

  /**
   * The eligible node with the highest total; equal totals go to the earlier candidate (the same
   * rule {@code Engine.decide} uses), so the result is deterministic. Empty when none is eligible.
   */
  public Optional<ScoreBreakdown> best() {
    ScoreBreakdown best = null;
    for (ScoreBreakdown b : nodes) {
      if (b.eligible() && (best == null || b.total() > best.total())) {
        best = b;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Eligible nodes, best first (ties in candidate order), then the others in candidate order. */
  public List<ScoreBreakdown> ranked() {
    return nodes.stream()
        .sorted(
            Comparator.comparing((ScoreBreakdown b) -> !b.eligible())
                .thenComparing(b -> b.eligible() ? -b.total() : 0))
        .toList();
  }

  /** The breakdown of {@code node}, if it was a candidate. */
  public Optional<ScoreBreakdown> node(String node) {
    return nodes.stream().filter(b -> b.node().equals(node)).findFirst();
  }
}
