package dev.tessera.extender.volcano;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.extender.ExtenderClient;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.http.TransportSettings;
import dev.tessera.extender.server.ExtenderServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The golden Volcano bodies (src/test/resources/volcano) posted over real HTTP to {@code
 * <prefix>/volcano/<verb>}, the way Volcano's extender plugin sends them ({@code POST}, JSON); the
 * answers are read by the keys the plugin decodes.
 */
class VolcanoHttpIT {
  private static final String PREFIX = "/tessera";
  private ExtenderServer server;
  private ExtenderClient volcano;

  @BeforeEach
  void start() {
    var cluster = VolcanoBodies.cluster();
    var settings =
        new ExtenderServer.Settings(
            ExtenderServer.Transport.NETTY,
            TransportSettings.plain("127.0.0.1", 0, 2),
            PREFIX,
            DeviceConfig.chartDefaults(),
            Engine.Options.DEFAULTS,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    server =
        ExtenderServer.start(
            cluster, cluster, new EngineRanking(Engine.Options.DEFAULTS), settings, Fixtures.CLOCK);
    volcano = new ExtenderClient(server.port(), PREFIX + VolcanoRoutes.PATH);
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ofSeconds(5));
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void predicateAnswersEachGoldenBodyAsVolcanoReadsIt() {
    JsonNode fits =
        Fixtures.read(
            volcano.post("predicate", VolcanoBodies.bytes("predicate-fits.request.json")).body());
    HttpResponse<byte[]> small =
        volcano.post("predicate", VolcanoBodies.bytes("predicate-too-small.request.json"));
    JsonNode busy =
        Fixtures.read(
            volcano.post("predicate", VolcanoBodies.bytes("predicate-busy.request.json")).body());

    assertThat(fits.get("status").asText()).isEmpty();
    assertThat(fits.get("code").asInt()).isZero();
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(small.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode s = Fixtures.read(small.body());
    assertThat(s.get("status").asText()).startsWith("2/2 CardInsufficientMemory");
    assertThat(s.get("code").asInt()).isEqualTo(VolcanoWire.CODE_UNSCHEDULABLE_AND_UNRESOLVABLE);
    assertThat(s.get("errorMessage").asText()).isEqualTo(s.get("status").asText());
    assertThat(busy.get("code").asInt()).isEqualTo(VolcanoWire.CODE_UNSCHEDULABLE);
  }

  @Test
  void prioritizeScoresEveryNodeOnTheHundredScale() {
    HttpResponse<byte[]> r =
        volcano.post("prioritize", VolcanoBodies.bytes("prioritize.request.json"));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode scores = Fixtures.read(r.body()).get("nodeScore");
    assertThat(scores.size()).isEqualTo(4);
    assertThat(scores.get("gpu-node-a").asDouble()).isZero();
    assertThat(scores.get("gpu-node-c").asDouble()).isZero();
    assertThat(scores.get("gpu-node-b").asDouble()).isBetween(1.0, 100.0);
    assertThat(scores.get("gpu-node-d").asDouble()).isBetween(1.0, 100.0);
    assertThat(Fixtures.read(r.body()).get("errorMessage").asText()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "onSessionOpen   | {\"Jobs\":{},\"Nodes\":{},\"Queues\":{}} | {}",
        "onSessionClose  | {}                                       | {}",
        "preemptable     | {\"evictor\":{},\"evictees\":[]}          | {\"status\":0,\"victims\":null}",
        "reclaimable     | {\"evictor\":{},\"evictees\":[]}          | {\"status\":0,\"victims\":null}",
        "jobEnqueueable  | {\"job\":{}}                              | {\"status\":0}",
        "queueOverused   | {\"queue\":{}}                            | {\"overused\":false}",
        "jobReady        | {\"job\":{}}                              | {\"status\":true}"
      })
  void verbsTesseraHasNoOpinionOnAnswerTheNeutralVote(String verb, String body, String answer) {
    HttpResponse<byte[]> r = volcano.post(verb, body.getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Fixtures.read(r.body())).isEqualTo(Fixtures.read(answer.getBytes()));
  }

  @Test
  void malformedBodiesGet400NamingTheField() {
    ObjectNode noPod = (ObjectNode) VolcanoBodies.json("predicate-fits.request.json");
    ((ObjectNode) noPod.get("task")).remove("Pod");
    ObjectNode badNode = (ObjectNode) VolcanoBodies.json("prioritize.request.json");
    ((ObjectNode) badNode.path("nodes").get(1)).put("Node", "gpu-node-b");

    HttpResponse<byte[]> missing = volcano.post("predicate", noPod.toString().getBytes());
    HttpResponse<byte[]> wrongKind = volcano.post("prioritize", badNode.toString().getBytes());
    HttpResponse<byte[]> notJson = volcano.post("predicate", "{\"task\": ".getBytes());
    HttpResponse<byte[]> array = volcano.post("jobReady", "[]".getBytes());

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(text(missing)).isEqualTo("predicate: task.Pod is required (a v1 Pod object)");
    assertThat(wrongKind.statusCode()).isEqualTo(400);
    assertThat(text(wrongKind))
        .isEqualTo("prioritize: nodes[1].Node: expected a v1 Node object, got string");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(text(notJson)).startsWith("predicate: body is not JSON (line 1, column");
    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(text(array))
        .isEqualTo("jobReady: request body: expected a jobReady request object, got array");
  }

  @Test
  void unknownVerbsAre404AndOtherMethods405() {
    HttpResponse<byte[]> bindTask = volcano.post("bindTask", "{}".getBytes());
    HttpResponse<byte[]> allocate = volcano.post("allocateFunc", "{}".getBytes());
    HttpResponse<byte[]> get = volcano.get(PREFIX + "/volcano/predicate", server.port());

    assertThat(bindTask.statusCode()).isEqualTo(404);
    assertThat(text(bindTask)).startsWith("no such Volcano verb: /volcano/bindTask; known: ");
    assertThat(allocate.statusCode()).isEqualTo(404);
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void eachVerbIsTimedUnderItsOwnName() {
    volcano.post("predicate", VolcanoBodies.bytes("predicate-fits.request.json"));
    volcano.post("prioritize", VolcanoBodies.bytes("prioritize.request.json"));
    volcano.post("jobReady", "{\"job\":{}}".getBytes());

    String metrics = text(volcano.get("/metrics", server.port()));

    assertThat(metrics)
        .contains("tessera_extender_request_duration_seconds_count{verb=\"volcano_predicate\"} 1")
        .contains("tessera_extender_request_duration_seconds_count{verb=\"volcano_prioritize\"} 1")
        .contains("tessera_extender_request_duration_seconds_count{verb=\"volcano_jobReady\"} 1")
        // the kube-scheduler verbs' series are not touched by Volcano's
        .doesNotContain("verb=\"filter\"");
  }
}
