package dev.tessera.engine.decision;

import java.util.List;
import java.util.Objects;

/**
 * Why a policy decision treated one candidate node as it did: its verdict, every rule that gave it
 * points (with its policy's weight), its total and every veto.
 *
 * @param node node name
 * @param verdict what became of the node
 * @param reason the engine's fit reason when it does not fit (e.g. {@code 1/2
 *     CardInsufficientMemory}), {@link Engine#NODE_UNREGISTERED} for an unknown node, else {@code
 *     ""}
 * @param rules points per rule, in policy order and then the order the rules fired
 * @param total Σ {@code points × weight} over {@code rules}
 * @param vetoes the rules that refused the node, with their reasons
 */
public record NodeExplanation(
    String node,
    Verdict verdict,
    String reason,
    List<RulePoints> rules,
    double total,
    List<RuleVeto> vetoes) {
  public NodeExplanation {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(verdict, "verdict");
    reason = reason == null ? "" : reason;
    rules = List.copyOf(rules);
    vetoes = List.copyOf(vetoes);
  }

  /** What a decision made of one candidate node. */
  public enum Verdict {
    /** The pod goes here: eligible, with the highest total (ties to the earlier candidate). */
    CHOSEN,
    /** Eligible (fits, not vetoed) but another node scored higher or came first on a tie. */
    ELIGIBLE,
    /** The pod fits, but a rule vetoed the node. */
    VETOED,
    /** The engine's fit found no devices for the pod (or the node is not registered). */
    DOES_NOT_FIT
  }

  /** Whether the node could have been chosen: it fits and no rule vetoed it. */
  public boolean eligible() {
    return verdict == Verdict.CHOSEN || verdict == Verdict.ELIGIBLE;
  }
}
