package dev.tessera.engine.decision;

import java.util.Objects;

/**
 * A policy rule's refusal of one node; a vetoed node is never chosen.
 *
 * @param policy name of the policy the rule belongs to
 * @param rule the rule's name
 * @param reason the rule's reason, with the numbers it compared
 */
public record RuleVeto(String policy, String rule, String reason) {
  public RuleVeto {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(rule, "rule");
    reason = reason == null ? "" : reason;
  }
}
