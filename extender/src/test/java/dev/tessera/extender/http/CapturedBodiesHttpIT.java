package dev.tessera.extender.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.testing.SharedReferences;
import dev.tessera.extender.ExtenderClient;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.state.InMemoryCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact bytes kube-scheduler v1.20.5 sent (../shared/reference/extender-wire), posted over HTTP
 * in order — filter, prioritize, bind — for both nodeCacheCapable modes; the answers are read the
 * way Go reads them (the keys kube-scheduler looks at).
 */
class CapturedBodiesHttpIT {
  @ParameterizedTest(name = "nodeCacheCapable: {0}")
  @ValueSource(strings = {"true", "false"})
  void replayTheCapturedCycle(String mode) {
    Path dir = SharedReferences.require("reference/extender-wire");
    Path bodies = dir.resolve("node-cache-capable-" + mode);
    InMemoryCluster cluster = InMemoryCluster.of(Fixtures.exampleNodes(dir), List.of(), List.of());
    var settings =
        new ExtenderServer.Settings(
            ExtenderServer.Transport.NETTY,
            TransportSettings.plain("127.0.0.1", 0, 2),
            "",
            DeviceConfig.chartDefaults(),
            Engine.Options.DEFAULTS,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    var server =
        ExtenderServer.start(
            cluster, cluster, new EngineRanking(Engine.Options.DEFAULTS), settings, Fixtures.CLOCK);
    try {
      var client = new ExtenderClient(server.port(), "");

      var filter = client.post("filter", Fixtures.bytes(bodies.resolve("filter.request.json")));
      var prioritize =
          client.post("prioritize", Fixtures.bytes(bodies.resolve("prioritize.request.json")));
      var bind = client.post("bind", Fixtures.bytes(bodies.resolve("bind.request.json")));

      assertThat(filter.statusCode()).isEqualTo(200);
      JsonNode f = Fixtures.read(filter.body());
      List<String> passed =
          "true".equals(mode)
              ? names(f.path("NodeNames"))
              : names(f.path("Nodes").path("items").findValues("metadata"));
      assertThat(passed).containsExactly("gpu-node-a", "gpu-node-b");
      assertThat(f.path("FailedAndUnresolvableNodes").has("gpu-node-c")).isTrue();
      assertThat(f.path("Error").isMissingNode()).isTrue();

      JsonNode p = Fixtures.read(prioritize.body());
      assertThat(p.findValuesAsText("Host")).containsExactly("gpu-node-a", "gpu-node-b");
      assertThat(p.findValues("Score")).allMatch(s -> s.asLong() >= 0 && s.asLong() <= 10);

      JsonNode b = Fixtures.read(bind.body());
      assertThat(b.path("Error").asText()).isEmpty();
      assertThat(cluster.pod("default", "gpu-pod").orElseThrow().nodeName())
          .isEqualTo("gpu-node-b");
    } finally {
      server.stop(Duration.ofSeconds(5));
    }
  }

  private static List<String> names(JsonNode arrayOrMetas) {
    return arrayOrMetas.isArray()
        ? java.util.stream.StreamSupport.stream(arrayOrMetas.spliterator(), false)
            .map(JsonNode::asText)
            .toList()
        : List.of();
  }

  private static List<String> names(List<JsonNode> metas) {
    return metas.stream().map(m -> m.path("name").asText()).toList();
  }
}
