package dev.tessera.extender.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Node;
import java.util.List;

/**
 * One node kube-scheduler offered for a pod, ready for the engine: the node and its device usage
 * before the pod, or why the engine cannot use it.
 *
 * @param name node name
 * @param node the engine's node; null when {@code unusable} is set
 * @param usage device usage in register order; empty when unusable
 * @param unusable why the node cannot take any GPU pod (unregistered, bad annotations); empty when
 *     usable
 * @param json the Node object kube-scheduler sent, or null when it sent names
 */
public record Candidate(
    String name, Node node, List<DeviceUsage> usage, String unusable, JsonNode json) {
  public Candidate {
    usage = usage == null ? List.of() : usage;
    unusable = unusable == null ? "" : unusable;
  }

  public static Candidate usable(Node node, List<DeviceUsage> usage, JsonNode json) {
    return new Candidate(node.name(), node, usage, "", json);
  }

  public static Candidate unusable(String name, String reason, JsonNode json) {
    return new Candidate(name, null, List.of(), reason, json);
  }

  public boolean isUsable() {
    return node != null;
  }
}
