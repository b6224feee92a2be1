package dev.tessera.extender.volcano;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.volcano.VolcanoWire.PredicateRequest;
import dev.tessera.extender.volcano.VolcanoWire.PredicateResponse;
import dev.tessera.extender.volcano.VolcanoWire.PrioritizeRequest;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.extender.wire.NodeList;
import dev.tessera.extender.wire.WireException;
import dev.tessera.extender.wire.WireJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden Volcano bodies (src/test/resources/volcano, in the JSON of Volcano's {@code
 * extender/argument.go} structs) answered directly, and compared with what the kube-scheduler verbs
 * answer for the same pod and nodes.
 */
class VolcanoGoldenTest {
  private final WireJson wire = new WireJson();
  private InMemoryCluster cluster;
  private Extender extender;
  private VolcanoExtender volcano;

  @BeforeEach
  void setUp() {
    cluster = VolcanoBodies.cluster();
    extender = Fixtures.extender(cluster);
    volcano = new VolcanoExtender(extender, new ExtenderMetrics(cluster::snapshot));
  }

  private PredicateResponse predicate(String file) {
    return volcano.predicate(PredicateRequest.from(VolcanoBodies.json(file)));
  }

  /** kube-scheduler's filter (whole Node objects) for the body's pod and node. */
  private ExtenderFilterResult filter(String file) {
    JsonNode body = VolcanoBodies.json(file);
    return extender.filter(
        new ExtenderArgs(
            body.path("task").path("Pod"),
            new NodeList(List.of(body.path("node").path("Node"))),
            null));
  }

  @Test
  void predicatePassesAFittingNode() {
    PredicateResponse r = predicate("predicate-fits.request.json");

    assertThat(r).isEqualTo(PredicateResponse.PASS);
    JsonNode json = Fixtures.read(r, wire);
    assertThat(json.get("status").asText()).isEmpty();
    assertThat(json.get("code").asInt()).isZero();
    assertThat(json.get("errorMessage").asText()).isEmpty();
  }

  @Test
  void predicateRejectsATooSmallNodeWithFiltersReasonAsUnresolvable() {
    PredicateResponse r = predicate("predicate-too-small.request.json");
    ExtenderFilterResult f = filter("predicate-too-small.request.json");

    String reason = f.failedAndUnresolvableNodes().get("gpu-node-a");
    assertThat(reason).startsWith("2/2 CardInsufficientMemory; pod asks 1 GPU x 20000 MiB");
    assertThat(r.status()).isEqualTo(reason);
    assertThat(r.code()).isEqualTo(VolcanoWire.CODE_UNSCHEDULABLE_AND_UNRESOLVABLE);
    // older Volcano releases read the reason from errorMessage, newer from status + code
    JsonNode json = Fixtures.read(r, wire);
    assertThat(json.get("errorMessage").asText()).isEqualTo(reason);
    assertThat(json.get("status").asText()).isEqualTo(reason);
    assertThat(json.get("code").asInt()).isEqualTo(3);
  }

  @Test
  void predicateRejectsABusyNodeWithFiltersReasonAsUnschedulable() {
    PredicateResponse r = predicate("predicate-busy.request.json");
    ExtenderFilterResult f = filter("predicate-busy.request.json");

    String reason = f.failedNodes().get("gpu-node-c");
    assertThat(reason).contains("CardInsufficientMemory").contains("10960/50/9");
    assertThat(r.status()).isEqualTo(reason);
    assertThat(r.code()).isEqualTo(VolcanoWire.CODE_UNSCHEDULABLE); // eviction could help
  }

  @Test
  void predicateReadsANodeUnknownToTheClusterFromItsAnnotations() {
    assertThat(cluster.snapshot().node("gpu-node-e")).isEmpty();

    assertThat(predicate("predicate-unknown-node.request.json").passes()).isTrue();
  }

  @Test
  void prioritizeRanksLikeKubeSchedulerPrioritizeOnTheHundredScale() {
    JsonNode body = VolcanoBodies.json("prioritize.request.json");
    var nodes = new ArrayList<JsonNode>();
    body.path("nodes").forEach(n -> nodes.add(n.path("Node")));
    // prioritize holds the best node, so kube-scheduler's answer comes from a cluster of its own
    InMemoryCluster other = VolcanoBodies.cluster();
    List<HostPriority> kube =
        Fixtures.extender(other)
            .prioritize(new ExtenderArgs(body.path("task").path("Pod"), new NodeList(nodes), null));

    Map<String, Double> scores = volcano.prioritize(PrioritizeRequest.from(body)).nodeScore();

    var expected = new LinkedHashMap<String, Double>();
    kube.forEach(p -> expected.put(p.host(), p.score() * 10.0));
    assertThat(scores).containsExactlyEntriesOf(expected);
    assertThat(scores).containsEntry("gpu-node-a", 0.0).containsEntry("gpu-node-c", 0.0);
    assertThat(scores.get("gpu-node-b")).isPositive();
    assertThat(scores.get("gpu-node-d")).isPositive();
    assertThat(scores.values()).allMatch(s -> s >= 0 && s <= VolcanoExtender.MAX_SCORE);
    assertThat(scores.values()).contains(VolcanoExtender.MAX_SCORE);
  }

  @Test
  void prioritizeHoldsTheBestNodeSoTheNextTaskSeesItsGpusTaken() {
    volcano.prioritize(PrioritizeRequest.from(VolcanoBodies.json("prioritize.request.json")));

    assertThat(cluster.snapshot().nodeOf("default/train-worker-0")).isPresent();
  }

  @Test
  void prioritizeAnswersJsonVolcanoDecodes() {
    var r =
        volcano.prioritize(PrioritizeRequest.from(VolcanoBodies.json("prioritize.request.json")));

    JsonNode json = Fixtures.read(r, wire);
    assertThat(json.get("errorMessage").asText()).isEmpty();
    assertThat(json.get("nodeScore").isObject()).isTrue();
    assertThat(json.get("nodeScore").get("gpu-node-b").isNumber()).isTrue();
  }

  @Test
  void aPodAskingForNoGpuPassesEveryNodeAndScoresZero() {
    ObjectNode body = (ObjectNode) VolcanoBodies.json("prioritize.request.json");
    ObjectNode container =
        (ObjectNode) body.path("task").path("Pod").path("spec").path("containers").get(0);
    container.putObject("resources").putObject("limits").put("cpu", "1");

    var scores = volcano.prioritize(PrioritizeRequest.from(body)).nodeScore();
    ObjectNode predicateBody = Fixtures.JSON.createObjectNode();
    predicateBody.set("task", body.get("task"));
    predicateBody.set("node", body.path("nodes").get(0)); // the too-small T4 node
    var predicate = volcano.predicate(PredicateRequest.from(predicateBody));

    assertThat(scores.values()).containsOnly(0.0).hasSize(4);
    assertThat(predicate.passes()).isTrue();
  }

  @Test
  void keysAreMatchedCaseInsensitivelyAsGoDoes() {
    String renamed =
        new String(VolcanoBodies.bytes("predicate-too-small.request.json"))
            .replace("\"task\":", "\"Task\":")
            .replace("\"Pod\":", "\"pod\":")
            .replace("\"node\":", "\"NODE\":");

    var r = volcano.predicate(PredicateRequest.from(Fixtures.read(renamed.getBytes())));

    assertThat(r.code()).isEqualTo(VolcanoWire.CODE_UNSCHEDULABLE_AND_UNRESOLVABLE);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "no task", edit(b -> b.remove("task")), "task is required (a TaskInfo object)"),
        Arguments.of(
            "task is a string",
            edit(b -> b.put("task", "train-worker-0")),
            "task: expected a TaskInfo object, got string"),
        Arguments.of(
            "task without Pod",
            edit(b -> ((ObjectNode) b.get("task")).remove("Pod")),
            "task.Pod is required (a v1 Pod object)"),
        Arguments.of(
            "Pod is an array",
            edit(b -> ((ObjectNode) b.get("task")).putArray("Pod")),
            "task.Pod: expected a v1 Pod object, got array"),
        Arguments.of(
            "node without Node",
            edit(b -> ((ObjectNode) b.get("node")).putNull("Node")),
            "node.Node is required (a v1 Node object)"),
        Arguments.of(
            "Node without a name",
            edit(b -> ((ObjectNode) b.path("node").path("Node").path("metadata")).remove("name")),
            "node.Node.metadata.name is required"));
  }

  private static ObjectNode edit(Consumer<ObjectNode> change) {
    ObjectNode body = (ObjectNode) VolcanoBodies.json("predicate-fits.request.json");
    change.accept(body);
    return body;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedPredicateBodiesNameTheField(String name, ObjectNode body, String message) {
    assertThatThrownBy(() -> volcano.predicate(PredicateRequest.from(body)))
        .isInstanceOf(WireException.class)
        .hasMessage(message);
  }

  @Test
  void malformedPodFieldsAreReportedUnderTaskPod() {
    ObjectNode body =
        edit(b -> ((ObjectNode) b.path("task").path("Pod").path("metadata")).remove("name"));

    assertThatThrownBy(() -> volcano.predicate(PredicateRequest.from(body)))
        .isInstanceOf(WireException.class)
        .hasMessage("task.Pod: field metadata.name is required");
  }

  @Test
  void malformedPrioritizeNodesNameTheIndex() {
    ObjectNode body = (ObjectNode) VolcanoBodies.json("prioritize.request.json");
    ((ObjectNode) body.path("nodes").get(2)).remove("Node");

    assertThatThrownBy(() -> PrioritizeRequest.from(body))
        .isInstanceOf(WireException.class)
        .hasMessage("nodes[2].Node is required (a v1 Node object)");
  }

  @Test
  void nodesNullIsAnEmptyListAsGoDecodesIt() {
    ObjectNode body = (ObjectNode) VolcanoBodies.json("prioritize.request.json");
    body.putNull("nodes");

    assertThat(volcano.prioritize(PrioritizeRequest.from(body)).nodeScore()).isEmpty();
  }

  @Test
  void abstainingAnswersAreTheOnesVolcanoSkips() {
    assertThat(Fixtures.read(VolcanoWire.VictimsResponse.ABSTAINS, wire).toString())
        .isEqualTo("{\"status\":0,\"victims\":null}");
    assertThat(Fixtures.read(VolcanoWire.VoteResponse.ABSTAINS, wire).toString())
        .isEqualTo("{\"status\":0}");
    assertThat(Fixtures.read(VolcanoWire.QueueOverusedResponse.NOT_OVERUSED, wire).toString())
        .isEqualTo("{\"overused\":false}");
    assertThat(Fixtures.read(VolcanoWire.JobReadyResponse.READY, wire).toString())
        .isEqualTo("{\"status\":true}");
  }
}
