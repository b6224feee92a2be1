package dev.tessera.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.NodeVerdict;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.drl.ScoreBreakdown;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints an explained decision as aligned text or as JSON. */
final class ExplainRenderer {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ExplainRenderer() {}

  static void text(PrintWriter out, PodRequest pod, String nodePolicy, Decision decision) {
    out.printf("Pod %s%n", pod.key());
    for (int i = 0; i < pod.requests().size(); i++) {
      out.printf(
          "  %s%s: %s%n",
          pod.containerNames().get(i),
          i < pod.initContainerCount() ? " (init)" : "",
          describe(pod.requests().get(i)));
    }
    out.println();
    int width =
        Math.max(4, decision.verdicts().stream().mapToInt(v -> v.node().length()).max().orElse(4));
    out.printf(
        "  %-" + width + "s  %-8s  %6s  %s%n", "NODE", "VERDICT", "SCORE", "DEVICES / REASON");
    for (NodeVerdict v : decision.verdicts()) {
      if (v.fits()) {
        out.printf(
            "  %-" + width + "s  %-8s  %6s  %s%n",
            v.node(),
            "fits",
            String.format(Locale.ROOT, "%.2f", v.score()),
            devices(pod, v.containers()));
      } else {
        out.printf("  %-" + width + "s  %-8s  %6s  %s%n", v.node(), "rejected", "", v.reason());
      }
    }
    out.println();
    if (decision instanceof Decision.Placed p) {
      boolean hamiPolicy = "binpack".equals(nodePolicy) || "spread".equals(nodePolicy);
      out.printf(
          "Chosen: %s (%s policy %s: %s among %d fitting node(s))%n  %s%n",
          p.node(),
          hamiPolicy ? "node" : "DRL",
          nodePolicy,
          !hamiPolicy
              ? "highest total"
              : "spread".equals(nodePolicy) ? "lowest node score" : "highest node score",
          decision.verdicts().stream().filter(NodeVerdict::fits).count(),
          devices(pod, p.containers()));
    } else {
      out.printf("No node fits: %d node(s) rejected the pod.%n", decision.verdicts().size());
    }
    out.flush();
  }

  /** After the verdict table: every node's fired rules with their points, best node first. */
  static void rules(PrintWriter out, Ranking ranking) {
    out.println();
    out.println("Rules fired (points per rule, best node first):");
    for (ScoreBreakdown b : ranking.ranked()) {
      for (String line : b.explain().split("\n")) {
        out.println("  " + line);
      }
    }
    out.flush();
  }

  static void json(PrintWriter out, PodRequest pod, String nodePolicy, Decision decision)
      throws Exception {
    json(out, pod, nodePolicy, decision, null);
  }

  static void json(
      PrintWriter out, PodRequest pod, String nodePolicy, Decision decision, Ranking ranking)
      throws Exception {
    ObjectNode root = JSON.createObjectNode();
    root.put("pod", pod.key());
    ArrayNode reqs = root.putArray("containers");
    for (int i = 0; i < pod.requests().size(); i++) {
      var r = pod.requests().get(i);
      ObjectNode c = reqs.addObject();
      c.put("name", pod.containerNames().get(i));
      c.put("init", i < pod.initContainerCount());
      c.put("gpus", r.count());
      c.put("memoryMiB", r.memoryMiB());
      if (r.memoryPercent() != GpuRequest.PERCENT_UNSET) {
        c.put("memoryPercent", r.memoryPercent());
      }
      c.put("cores", r.cores());
    }
    root.put("nodePolicy", nodePolicy);
    if (decision instanceof Decision.Placed p) {
      root.put("placed", true);
      root.put("node", p.node());
      root.set("devices", devicesJson(pod, p.containers()));
    } else {
      root.put("placed", false);
    }
    ArrayNode nodes = root.putArray("nodes");
    for (NodeVerdict v : decision.verdicts()) {
      ObjectNode n = nodes.addObject();
      n.put("node", v.node());
      n.put("fits", v.fits());
      if (v.fits()) {
        n.put("score", v.score());
        n.set("devices", devicesJson(pod, v.containers()));
      } else {
        n.put("reason", v.reason());
      }
      if (ranking != null) {
        ranking
            .node(v.node())
            .ifPresent(
                b -> {
                  ObjectNode rules = n.putObject("rules");
                  b.rules().forEach(rules::put);
                  n.put("policyTotal", b.total());
                });
      }
    }
    out.println(JSON.writeValueAsString(root));
    out.flush();
  }

  private static ArrayNode devicesJson(PodRequest pod, List<List<ContainerDevice>> containers) {
    ArrayNode arr = JSON.createArrayNode();
    for (int i = 0; i < containers.size(); i++) {
      if (containers.get(i).isEmpty()) {
        continue;
      }
      ObjectNode c = arr.addObject();
      c.put("container", i < pod.containerNames().size() ? pod.containerNames().get(i) : "#" + i);
      ArrayNode ds = c.putArray("devices");
      for (var d : containers.get(i)) {
        ds.addObject()
            .put("uuid", d.uuid())
            .put("memoryMiB", d.usedMemMiB())
            .put("cores", d.usedCores());
      }
    }
    return arr;
  }

  private static String devices(PodRequest pod, List<List<ContainerDevice>> containers) {
    var sb = new StringBuilder();
    for (int i = 0; i < containers.size(); i++) {
      if (containers.get(i).isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(i < pod.containerNames().size() ? pod.containerNames().get(i) : "#" + i)
          .append(" -> ");
      var ds = containers.get(i);
      for (int j = 0; j < ds.size(); j++) {
        var d = ds.get(j);
        if (j > 0) {
          sb.append(", ");
        }
        sb.append(d.uuid())
            .append(" (")
            .append(d.usedMemMiB())
            .append(" MiB, ")
            .append(d.usedCores())
            .append("%)");
      }
    }
    return sb.length() == 0 ? "no GPU" : sb.toString();
  }

  private static String describe(GpuRequest r) {
    if (r.isEmpty()) {
      return "no GPU";
    }
    String mem =
        r.memoryMiB() > 0
            ? r.memoryMiB() + " MiB"
            : r.memoryPercent() != GpuRequest.PERCENT_UNSET
                ? r.memoryPercent() + "% of memory"
                : "0 MiB";
    return r.count() + " GPU(s), each " + mem + " and " + r.cores() + "% of compute";
  }
}
