package dev.tessera.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.Placement;
import dev.tessera.policies.plan.DefragPlan;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Text and JSON output of {@code tessera plan-gang} and {@code tessera defrag}. */
final class PlanRenderer {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanRenderer() {}

  static void gangText(
      PrintWriter out, int pods, String policy, Optional<List<Placement>> placements) {
    if (placements.isEmpty()) {
      out.printf(
          "Gang of %d pod(s) under %s: not placed (they do not all fit together)%n", pods, policy);
      return;
    }
    out.printf("Gang of %d pod(s) under %s: placed%n", pods, policy);
    int width = placements.get().stream().mapToInt(p -> p.podKey().length()).max().orElse(3);
    for (Placement p : placements.get()) {
      out.printf("  %-" + width + "s -> %s  %s%n", p.podKey(), p.node(), devices(p.containers()));
    }
  }

  static void gangJson(
      PrintWriter out, int pods, String policy, Optional<List<Placement>> placements)
      throws Exception {
    ObjectNode root = JSON.createObjectNode();
    root.put("policy", policy);
    root.put("pods", pods);
    root.put("placed", placements.isPresent());
    ArrayNode list = root.putArray("placements");
    for (Placement p : placements.orElse(List.of())) {
      ObjectNode n = list.addObject();
      n.put("pod", p.podKey());
      n.put("node", p.node());
      n.set("containers", containersJson(p.containers()));
    }
    out.println(JSON.writeValueAsString(root));
  }

  static void defragText(PrintWriter out, DefragPlan plan) {
    out.printf(
        Locale.ROOT,
        "Fragmentation %.1f -> %.1f milli-GPU; whole GPUs freed: %d; moves: %d%n",
        plan.fragBefore(),
        plan.fragAfter(),
        plan.freedGpus(),
        plan.moves().size());
    int i = 1;
    for (DefragPlan.Move m : plan.moves()) {
      out.printf(
          "  %d. %s: %s -> %s  %s%n", i++, m.podKey(), m.from(), m.to(), devices(m.containers()));
    }
  }

  static void defragJson(PrintWriter out, DefragPlan plan) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    root.put("fragmentationBefore", plan.fragBefore());
    root.put("fragmentationAfter", plan.fragAfter());
    root.put("freedGpus", plan.freedGpus());
    ArrayNode list = root.putArray("moves");
    for (DefragPlan.Move m : plan.moves()) {
      ObjectNode n = list.addObject();
      n.put("pod", m.podKey());
      n.put("from", m.from());
      n.put("to", m.to());
      n.set("containers", containersJson(m.containers()));
    }
    out.println(JSON.writeValueAsString(root));
  }

  private static ArrayNode containersJson(List<List<ContainerDevice>> containers) {
    ArrayNode cs = JSON.createArrayNode();
    for (List<ContainerDevice> c : containers) {
      ArrayNode ds = cs.addArray();
      for (ContainerDevice d : c) {
        ObjectNode o = ds.addObject();
        o.put("uuid", d.uuid());
        o.put("memMiB", d.usedMemMiB());
        o.put("cores", d.usedCores());
      }
    }
    return cs;
  }

  private static String devices(List<List<ContainerDevice>> containers) {
    var sb = new StringBuilder();
    for (int i = 0; i < containers.size(); i++) {
      if (i > 0) {
        sb.append("; ");
      }
      sb.append('#').append(i).append(':');
      for (ContainerDevice d : containers.get(i)) {
        sb.append(' ')
            .append(d.uuid())
            .append(" (")
            .append(d.usedMemMiB())
            .append(" MiB, ")
            .append(d.usedCores())
            .append("%)");
      }
    }
    return sb.toString();
  }
}
