package dev.tessera.engine.decision;

import java.util.Objects;

/**
 * Points one policy rule gave one node, and the weight its policy carries in the decision: the
 * node's total gains {@code points × weight}.
 *
 * @param policy name of the policy the rule belongs to (a part of a weighted combination)
 * @param rule the rule's name, a readable sentence
 * @param points points the rule gave, summed when it fired several times for the node
 * @param weight the policy's weight in the combination; 1 for a single policy
 */
public record RulePoints(String policy, String rule, double points, double weight) {
  public RulePoints {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(rule, "rule");
  }

  /** What the rule adds to the node's total: {@code points × weight}. */
  public double weighted() {
    return points * weight;
  }
}
