package dev.tessera.extender.core;

/**
 * What filter and prioritize learn about one candidate node.
 *
 * @param node node name
 * @param outcome feasible, failed (could fit if pods left) or unresolvable (never fits)
 * @param preference how much the policy likes the node, higher is better; only meaningful when
 *     feasible
 * @param reason empty when feasible, else the rule and the numbers behind the rejection
 */
public record NodeResult(String node, Outcome outcome, double preference, String reason) {
  /** Filter's three answers for a node. */
  public enum Outcome {
    FEASIBLE,
    FAILED,
    UNRESOLVABLE
  }

  public boolean feasible() {
    return outcome == Outcome.FEASIBLE;
  }

  public static NodeResult feasible(String node, double preference) {
    return new NodeResult(node, Outcome.FEASIBLE, preference, "");
  }
}
