package dev.tessera.policies.facts;

import java.util.Objects;

/**
 * Points one rule gives one node for this decision; the node with the highest total wins.
 *
 * <p>Rules insert it with {@code insert(new ScoreContribution($n.node(), points))}; the scorer
 * records the name of the rule that inserted it, so {@code rule} is never taken on trust from the
 * right-hand side.
 *
 * @param node node name
 * @param rule name of the rule that inserted it ({@code ""} until the scorer fills it in)
 * @param points points, any finite value; negative points push a node down
 */
public record ScoreContribution(String node, String rule, double points) {
  public ScoreContribution {
    Objects.requireNonNull(node, "node");
    rule = rule == null ? "" : rule;
    if (!Double.isFinite(points)) {
      throw new IllegalArgumentException(
          "score contribution for node " + node + " is not a finite number: " + points);
    }
  }

  /** A contribution whose rule name the scorer fills in from the rule that inserts it. */
  public ScoreContribution(String node, double points) {
    this(node, "", points);
  }
}
