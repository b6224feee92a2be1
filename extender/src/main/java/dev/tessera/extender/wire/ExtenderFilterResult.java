package dev.tessera.extender.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The filter answer ({@code ExtenderFilterResult}). kube-scheduler reads {@code Nodes.items} when
 * it sent Node objects and {@code NodeNames} when it sent names; a node in neither list is filtered
 * out. {@code FailedNodes} entries become Unschedulable statuses with the given reason; {@code
 * FailedAndUnresolvableNodes} (kube-scheduler 1.21+) additionally tells preemption not to try the
 * node.
 *
 * @param nodes feasible Node objects, or null when the request carried names
 * @param nodeNames feasible node names, or null when the request carried Node objects
 * @param failedNodes node → reason, for nodes that could fit if pods were removed
 * @param failedAndUnresolvableNodes node → reason, for nodes nothing could make fit
 * @param error non-empty when the request could not be handled at all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtenderFilterResult(
    @JsonProperty("Nodes") NodeList nodes,
    @JsonProperty("NodeNames") List<String> nodeNames,
    @JsonProperty("FailedNodes") Map<String, String> failedNodes,
    @JsonProperty("FailedAndUnresolvableNodes") Map<String, String> failedAndUnresolvableNodes,
    @JsonProperty("Error") String error) {

  /** An answer that only carries an error; kube-scheduler fails the scheduling attempt. */
  public static ExtenderFilterResult error(String message) {
    return new ExtenderFilterResult(null, null, null, null, message);
  }
}
