package dev.tessera.engine.decision;

import dev.tessera.engine.model.ContainerDevice;
import java.util.List;

/**
 * What one node made of one pod: whether it fits, its node score, and either the devices each
 * container would get (init containers first) or HAMi's reason string.
 *
 * @param node node name
 * @param fits true when every container found devices
 * @param score HAMi node score (§7.4) of the node's usage before the pod; 0 when rejected
 * @param reason empty when it fits, else HAMi's reason, e.g. {@code 1/2 CardInsufficientMemory}
 * @param containers per-container devices when it fits, else empty
 */
public record NodeVerdict(
    String node,
    boolean fits,
    double score,
    String reason,
    List<List<ContainerDevice>> containers) {
  public NodeVerdict {
    reason = reason == null ? "" : reason;
    containers = Copies.deep(containers);
  }

  public static NodeVerdict fits(
      String node, double score, List<List<ContainerDevice>> containers) {
    return new NodeVerdict(node, true, score, "", containers);
  }

  public static NodeVerdict rejected(String node, String reason) {
    return new NodeVerdict(node, false, 0, reason, List.of());
  }
}
