package dev.tessera.extender.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.engine.usage.CachedPod;
import java.util.List;

/**
 * One node kube-scheduler offered for a pod, ready for the engine: the node and its device usage
 * before the pod, or why the engine cannot use it.
 *
 * @param name node name
 * @param node the engine's node; null when {@code unusable} is set
 * @param pods the pods the snapshot has on the node (policies read their tenants); empty when
 *     unusable
 * @param usage device usage in register order; empty when unusable
 * @param unusable why the node cannot take any GPU pod (unregistered, bad annotations); empty when
 *     usable
 * @param json the Node object kube-scheduler sent, or null when it sent names
 */
public record Candidate(
    String name,
    Node node,
    List<CachedPod> pods,
    List<DeviceUsage> usage,
    String unusable,
    JsonNode json) {
  public Candidate {
    pods = pods == null ? List.of() : pods;
    usage = usage == null ? List.of() : usage;
    unusable = unusable == null ? "" : unusable;
  }

  public static Candidate usable(
      Node node, List<CachedPod> pods, List<DeviceUsage> usage, JsonNode json) {
    return new Candidate(node.name(), node, pods, usage, "", json);
  }

  public static Candidate unusable(String name, String reason, JsonNode json) {
    return new Candidate(name, null, List.of(), List.of(), reason, json);
  }

  /** The candidate as a snapshot node state; only for usable candidates. */
  public ClusterSnapshot.NodeState state() {
    return new ClusterSnapshot.NodeState(node, pods, usage);
  }

  public boolean isUsable() {
    return node != null;
  }
}
