package dev.tessera.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.NodeExplanation;
import dev.tessera.engine.decision.NodeVerdict;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.engine.decision.RulePoints;
import dev.tessera.engine.decision.RuleVeto;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.PodRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints an explained decision as aligned text or as JSON. */
final class ExplainRenderer {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ExplainRenderer() {}

  static void text(PrintWriter out, PodRequest pod, String nodePolicy, Decision decision) {
    text(out, pod, nodePolicy, decision, false);
  }

  /** The verdict table; {@code drl}: the scores are a DRL policy's totals, not HAMi's. */
  static void text(
      PrintWriter out, PodRequest pod, String nodePolicy, Decision decision, boolean drl) {
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
      boolean hamiPolicy = !drl && ("binpack".equals(nodePolicy) || "spread".equals(nodePolicy));
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

  /**
   * After the verdict table: every node's verdict, each rule that fired with its points (and its
   * policy's weight when not 1), the total and each veto; best node first.
   */
  static void rules(PrintWriter out, PolicyDecision decision) {
    out.println();
    out.printf("Rules fired for policy %s (best node first):%n", decision.policy());
    for (NodeExplanation e : decision.ranked()) {
      out.printf("  %s  %s%n", e.node(), verdict(e));
      for (RulePoints r : e.rules()) {
        if (r.weight() == 1) {
          out.printf("    %12s  %s%n", fmt(r.points()), r.rule());
        } else {
          out.printf(
              "    %12s  %s: %s x %s%n",
              fmt(r.weighted()),
              r.rule(),
              fmt(r.points()),
              number(r.weight()) + " (" + r.policy() + ")");
        }
      }
      out.printf("    %12s  total%n", "= " + fmt(e.total()));
      for (RuleVeto v : e.vetoes()) {
        out.printf("    vetoed by \"%s\" (%s): %s%n", v.rule(), v.policy(), v.reason());
      }
    }
    out.flush();
  }

  private static String verdict(NodeExplanation e) {
    return switch (e.verdict()) {
      case CHOSEN -> "chosen";
      case ELIGIBLE -> "eligible";
      case VETOED -> "vetoed";
      case DOES_NOT_FIT -> "does not fit: " + e.reason();
    };
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%+.4f", d);
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? Long.toString((long) d)
        : String.format(Locale.ROOT, "%s", d);
  }

  /** A policy decision as JSON: the placement, and per node its verdict, rules and total. */
  static void json(PrintWriter out, PodRequest pod, PolicyDecision explained) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    header(root, pod);
    root.put("policy", explained.policy());
    Decision decision = explained.decision();
    placement(root, pod, decision);
    ArrayNode nodes = root.putArray("nodes");
    for (NodeVerdict v : decision.verdicts()) {
      ObjectNode n = nodes.addObject();
      n.put("node", v.node());
      n.put("fits", v.fits());
      NodeExplanation e = explained.node(v.node()).orElseThrow();
      n.put("verdict", e.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      if (v.fits()) {
        n.set("devices", devicesJson(pod, v.containers()));
      } else {
        n.put("reason", v.reason());
      }
      ArrayNode rules = n.putArray("rules");
      for (RulePoints r : e.rules()) {
        rules
            .addObject()
            .put("policy", r.policy())
            .put("rule", r.rule())
            .put("points", r.points())
            .put("weight", r.weight());
      }
      n.put("policyTotal", e.total());
      ArrayNode vetoes = n.putArray("vetoes");
      for (RuleVeto r : e.vetoes()) {
        vetoes
            .addObject()
            .put("policy", r.policy())
            .put("rule", r.rule())
            .put("reason", r.reason());
      }
    }
    out.println(JSON.writeValueAsString(root));
    out.flush();
  }

  static void json(PrintWriter out, PodRequest pod, String nodePolicy, Decision decision)
      throws Exception {
    ObjectNode root = JSON.createObjectNode();
    header(root, pod);
    root.put("nodePolicy", nodePolicy);
    placement(root, pod, decision);
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
    }
    out.println(JSON.writeValueAsString(root));
    out.flush();
  }

  private static void header(ObjectNode root, PodRequest pod) {
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
  }

  private static void placement(ObjectNode root, PodRequest pod, Decision decision) {
    if (decision instanceof Decision.Placed p) {
      root.put("placed", true);
      root.put("node", p.node());
      root.set("devices", devicesJson(pod, p.containers()));
    } else {
      root.put("placed", false);
    }
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
