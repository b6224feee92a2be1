package dev.tessera.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * kube-scheduler's extender request for filter and prioritize ({@code
 * k8s.io/kube-scheduler/extender/v1.ExtenderArgs}). The Go type has no JSON tags, so the keys are
 * the field names; both node keys are always sent and exactly one is {@code null}: {@code
 * NodeNames} when the extender is {@code nodeCacheCapable}, else {@code Nodes} with whole Node
 * objects.
 *
 * @param pod the v1 Pod, as kube-scheduler serialised it
 * @param nodes v1 NodeList with {@code items} ({@code nodeCacheCapable: false}); null otherwise
 * @param nodeNames candidate node names ({@code nodeCacheCapable: true}); null otherwise
 */
public record ExtenderArgs(
    @JsonProperty("Pod") JsonNode pod,
    @JsonProperty("Nodes") NodeList nodes,
    @JsonProperty("NodeNames") List<String> nodeNames) {

  /** True when kube-scheduler sent whole Node objects and reads the answer from {@code Nodes}. */
  public boolean sendsNodeObjects() {
    return nodeNames == null && nodes != null;
  }
}
