package dev.tessera.policies.drl;

import dev.tessera.policies.facts.Veto;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's explanation: the points each rule gave it (in the order the rules fired; a rule that
 * fired several times for the node is summed), their total, and any vetoes.
 *
 * @param node node name
 * @param fits whether the engine's fit found devices on the node
 * @param rules points per rule name, firing order
 * @param total Σ points
 * @param vetoes the rules that refused the node
 */
public record ScoreBreakdown(
    String node, boolean fits, Map<String, Double> rules, double total, List<Veto> vetoes) {
  public ScoreBreakdown {
    // One rule is the common case: an immutable one-entry map has no order to keep.
    rules =
        rules.isEmpty()
            ? Map.of()
            : rules.size() == 1
                ? singleton(rules)
                : Collections.unmodifiableMap(new LinkedHashMap<>(rules));
    vetoes = List.copyOf(vetoes);
  }

  private static Map<String, Double> singleton(Map<String, Double> rules) {
    if (rules.getClass() == ONE_ENTRY) {
      return rules; // already immutable
    }
    Map.Entry<String, Double> e = rules.entrySet().iterator().next();
    return Map.of(e.getKey(), e.getValue());
  }

  private static final Class<?> ONE_ENTRY = Map.of("", 0.0).getClass();

  /** Whether the node may be chosen: it fits and no rule vetoed it. */
  public boolean eligible() {
    return fits && vetoes.isEmpty();
  }

  /** Multi-line text: the node, each rule with its points, the total, and each veto. */
  public String explain() {
    var sb = new StringBuilder(node).append(eligible() ? "" : " (not eligible)").append('\n');
    rules.forEach(
        (rule, pts) -> sb.append("  ").append(fmt(pts)).append("  ").append(rule).append('\n'));
    sb.append("  = ").append(fmt(total)).append(" total\n");
    for (Veto v : vetoes) {
      sb.append("  vetoed by \"").append(v.rule()).append("\": ").append(v.reason()).append('\n');
    }
    return sb.toString();
  }

  private static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%+.4f", d);
  }
}
