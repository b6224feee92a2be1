package dev.tessera.policies.facts;

import java.util.Objects;

/**
 * A rule's refusal of one node: a vetoed node is never chosen, whatever its points.
 *
 * @param node node name
 * @param rule name of the rule that inserted it ({@code ""} until the scorer fills it in)
 * @param reason why, for the explanation
 */
public record Veto(String node, String rule, String reason) {
  public Veto {
    Objects.requireNonNull(node, "node");
    rule = rule == null ? "" : rule;
    reason = reason == null ? "" : reason;
  }

  /** A veto whose rule name the scorer fills in from the rule that inserts it. */
  public Veto(String node, String reason) {
    this(node, "", reason);
  }
}
