package dev.tessera.policies.drl;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A policy's verdict over the candidate nodes of one decision.
 *
 * @param nodes one breakdown per candidate, in the order the candidates were given
 * @param devicePicks GPU selectors the rules chose ({@link dev.tessera.policies.facts.DevicePick}):
 *     node name, or {@code ""} for any node, to selector
 */
public record Ranking(List<ScoreBreakdown> nodes, Map<String, String> devicePicks) {
  public Ranking {
    nodes = List.copyOf(nodes);
    devicePicks = devicePicks == null ? Map.of() : Map.copyOf(devicePicks);
  }

  /** A ranking without device picks. */
  public Ranking(List<ScoreBreakdown> nodes) {
    this(nodes, Map.of());
  }

  /**
   * The GPU selector the rules chose for {@code node}: a pick for that node, else a pick for any
   * node; empty when the engine's own device order decides.
   */
  public Optional<String> devicePick(String node) {
    String s = devicePicks.get(node);
    if (s == null) {
      s = devicePicks.get(dev.tessera.policies.facts.DevicePick.ANY_NODE);
    }
    return Optional.ofNullable(s);
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
