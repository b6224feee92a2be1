package dev.tessera.extender.volcano;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.extender.wire.WireException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of Volcano's scheduler {@code extender} plugin ({@code
 * pkg/scheduler/plugins/extender/argument.go}). Requests carry Volcano's {@code api.TaskInfo} and
 * {@code api.NodeInfo}, which have no JSON tags: their keys are the Go field names ({@code Pod},
 * {@code Node}, {@code Name}, …). The request wrappers are tagged ({@code task}, {@code node},
 * {@code nodes}). Tessera reads only {@code task.Pod} (a whole v1 Pod) and {@code node.Node} (a
 * whole v1 Node) and ignores the rest, as Go ignores unknown keys; keys match case-insensitively,
 * exact spelling first, as Go's decoder does.
 */
public final class VolcanoWire {
  private VolcanoWire() {}

  /** {@code api.Status} codes (pkg/scheduler/api/types.go): the pod fits. */
  public static final int CODE_SUCCESS = 0;

  /** {@code api.Error}: what Volcano assumes when a message comes without a code. */
  public static final int CODE_ERROR = 1;

  /** {@code api.Unschedulable}: the node could take the pod if pods were evicted. */
  public static final int CODE_UNSCHEDULABLE = 2;

  /** {@code api.UnschedulableAndUnresolvable}: evicting pods would not help. */
  public static final int CODE_UNSCHEDULABLE_AND_UNRESOLVABLE = 3;

  /** {@code util.Abstain} (pkg/scheduler/plugins/util/util.go): the plugin does not vote. */
  public static final int ABSTAIN = 0;

  /**
   * The predicate request ({@code PredicateRequest{Task *api.TaskInfo `json:"task"`; Node
   * *api.NodeInfo `json:"node"`}}), reduced to what Tessera decides on.
   *
   * @param pod {@code task.Pod}, a v1 Pod object
   * @param node {@code node.Node}, a v1 Node object with a name
   */
  public record PredicateRequest(JsonNode pod, JsonNode node) {
    /**
     * Reads a request body.
     *
     * @throws WireException naming the field that is missing or of the wrong kind
     */
    public static PredicateRequest from(JsonNode body) {
      requireObject(body, "predicate request body", "PredicateRequest");
      return new PredicateRequest(taskPod(body), nodeObject(field(body, "node"), "node"));
    }
  }

  /**
   * The prioritize request ({@code PrioritizeRequest{Task *api.TaskInfo `json:"task"`; Nodes
   * []*api.NodeInfo `json:"nodes"`}}), reduced to what Tessera decides on.
   *
   * @param pod {@code task.Pod}, a v1 Pod object
   * @param nodes {@code nodes[*].Node}, v1 Node objects with names, in request order
   */
  public record PrioritizeRequest(JsonNode pod, List<JsonNode> nodes) {
    public PrioritizeRequest {
      nodes = List.copyOf(nodes);
    }

    /**
     * Reads a request body; {@code "nodes": null} (Go's nil slice) is an empty list.
     *
     * @throws WireException naming the field that is missing or of the wrong kind
     */
    public static PrioritizeRequest from(JsonNode body) {
      requireObject(body, "prioritize request body", "PrioritizeRequest");
      JsonNode pod = taskPod(body);
      JsonNode list = field(body, "nodes");
      var nodes = new ArrayList<JsonNode>();
      if (list != null && !list.isNull()) {
        if (!list.isArray()) {
          throw new WireException(
              "nodes: expected an array of NodeInfo objects, got " + kind(list));
        }
        for (int i = 0; i < list.size(); i++) {
          nodes.add(nodeObject(list.get(i), "nodes[" + i + "]"));
        }
      }
      return new PrioritizeRequest(pod, nodes);
    }

    /** The nodes' names ({@code metadata.name}), request order. */
    public List<String> names() {
      return nodes.stream().map(VolcanoWire::nodeName).toList();
    }
  }

  /**
   * The predicate answer. Volcano changed {@code PredicateResponse} from {@code ErrorMessage string
   * `json:"errorMessage"`} to {@code ErrorMessage string `json:"status"`; Code int `json:"code"`},
   * so the reason goes under both keys and every Volcano release reads it: each decoder ignores the
   * keys its struct lacks.
   *
   * @param status the reason the node cannot take the pod; empty when it can
   * @param code {@link #CODE_SUCCESS}, {@link #CODE_UNSCHEDULABLE} or {@link
   *     #CODE_UNSCHEDULABLE_AND_UNRESOLVABLE}
   * @param errorMessage the same reason, for releases before the {@code code} field
   */
  public record PredicateResponse(
      @JsonProperty("status") String status,
      @JsonProperty("code") int code,
      @JsonProperty("errorMessage") String errorMessage) {
    /** The node can take the pod. */
    public static final PredicateResponse PASS = new PredicateResponse("", CODE_SUCCESS, "");

    /** The node cannot take the pod, for {@code reason}. */
    public static PredicateResponse reject(String reason, int code) {
      return new PredicateResponse(reason, code, reason);
    }

    public boolean passes() {
      return status.isEmpty();
    }
  }

  /**
   * The prioritize answer ({@code PrioritizeResponse}). Volcano uses {@code nodeScore} only when
   * {@code errorMessage} is empty and {@code nodeScore} is not null, and adds each score to the
   * other plugins' scores for the node.
   *
   * @param nodeScore node name → score, 0..{@link VolcanoExtender#MAX_SCORE}
   * @param errorMessage always empty: requests Tessera cannot read get HTTP 400 instead
   */
  public record PrioritizeResponse(
      @JsonProperty("nodeScore") Map<String, Double> nodeScore,
      @JsonProperty("errorMessage") String errorMessage) {}

  /**
   * The preemptable and reclaimable answer ({@code PreemptableResponse}): {@code status} is a vote,
   * and {@link #ABSTAIN} makes Volcano skip this plugin, so the other plugins choose the victims.
   */
  public record VictimsResponse(
      @JsonProperty("status") int status, @JsonProperty("victims") List<JsonNode> victims) {
    public static final VictimsResponse ABSTAINS = new VictimsResponse(ABSTAIN, null);
  }

  /** The jobEnqueueable answer ({@code JobEnqueueableResponse}); abstaining permits the job. */
  public record VoteResponse(@JsonProperty("status") int status) {
    public static final VoteResponse ABSTAINS = new VoteResponse(ABSTAIN);
  }

  /** The queueOverused answer ({@code QueueOverusedResponse}); Volcano ORs the plugins' answers. */
  public record QueueOverusedResponse(@JsonProperty("overused") boolean overused) {
    public static final QueueOverusedResponse NOT_OVERUSED = new QueueOverusedResponse(false);
  }

  /** The jobReady answer ({@code JobReadyResponse}); Volcano ANDs the plugins' answers. */
  public record JobReadyResponse(@JsonProperty("status") boolean status) {
    public static final JobReadyResponse READY = new JobReadyResponse(true);
  }

  /** {@code task.Pod}, required to be an object. */
  private static JsonNode taskPod(JsonNode body) {
    JsonNode task = field(body, "task");
    requireObject(task, "task", "TaskInfo");
    JsonNode pod = field(task, "Pod");
    requireObject(pod, "task.Pod", "v1 Pod");
    return pod;
  }

  /** {@code info.Node}, required to be an object with {@code metadata.name}. */
  private static JsonNode nodeObject(JsonNode info, String path) {
    requireObject(info, path, "NodeInfo");
    JsonNode node = field(info, "Node");
    requireObject(node, path + ".Node", "v1 Node");
    if (nodeName(node).isEmpty()) {
      throw new WireException(path + ".Node.metadata.name is required");
    }
    return node;
  }

  static String nodeName(JsonNode node) {
    JsonNode name = node.path("metadata").path("name");
    return name.isTextual() ? name.asText() : "";
  }

  /**
   * {@code object[name]} as Go's decoder finds it: the exact key, else the first key equal ignoring
   * case; null when absent.
   */
  static JsonNode field(JsonNode object, String name) {
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  static void requireObject(JsonNode value, String path, String what) {
    if (value == null || value.isNull()) {
      throw new WireException(path + " is required (a " + what + " object)");
    }
    if (!value.isObject()) {
      throw new WireException(path + ": expected a " + what + " object, got " + kind(value));
    }
  }

  static String kind(JsonNode n) {
    return n == null || n.isMissingNode()
        ? "nothing"
        : n.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
