package dev.tessera.engine.decision;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod's placement decided by a scoring policy, with its explanation. {@code decision} is what the
 * extender binds and the simulator books, in the same form as {@link Engine#decide}'s (each
 * fitting, eligible node's verdict carries the policy total as its score; a vetoed node is a
 * rejection naming the rule); {@code nodes} says per node which rules gave how many points.
 *
 * @param policy the policy's name, e.g. {@code binpack} or {@code fgd=1000,topology=10}
 * @param decision the placement, or the rejection when no node is eligible
 * @param nodes one explanation per candidate, in candidate order
 */
public record PolicyDecision(String policy, Decision decision, List<NodeExplanation> nodes) {
  public PolicyDecision {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(decision, "decision");
    nodes = List.copyOf(nodes);
  }

  /** The chosen node's name, if the pod was placed. */
  public Optional<String> chosen() {
    return decision instanceof Decision.Placed p ? Optional.of(p.node()) : Optional.empty();
  }

  /** The explanation of {@code node}, if it was a candidate. */
  public Optional<NodeExplanation> node(String node) {
    for (NodeExplanation e : nodes) {
      if (e.node().equals(node)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Eligible nodes best first (higher total; equal totals in candidate order), then the vetoed and
   * non-fitting ones in candidate order: the ranking the decision was taken from.
   */
  public List<NodeExplanation> ranked() {
    // Compared with < and > rather than Double.compare, which would order -0.0 before 0.0 (a
    // spread total of an idle node) although the decision treats them as a tie.
    return nodes.stream()
        .sorted(
            (a, b) -> {
              if (a.eligible() != b.eligible()) {
                return a.eligible() ? -1 : 1;
              }
              if (!a.eligible()) {
                return 0;
              }
              return a.total() > b.total() ? -1 : a.total() < b.total() ? 1 : 0;
            })
        .toList();
  }
}
