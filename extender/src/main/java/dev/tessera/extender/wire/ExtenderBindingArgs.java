package dev.tessera.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * kube-scheduler's bind request ({@code ExtenderBindingArgs}; Go field names, no JSON tags).
 *
 * @param podName pod name
 * @param podNamespace pod namespace
 * @param podUid pod UID
 * @param node the node kube-scheduler chose
 */
public record ExtenderBindingArgs(
    @JsonProperty("PodName") String podName,
    @JsonProperty("PodNamespace") String podNamespace,
    @JsonProperty("PodUID") String podUid,
    @JsonProperty("Node") String node) {

  /** {@code namespace/name}. */
  public String podKey() {
    return podNamespace + "/" + podName;
  }
}
