package dev.tessera.extender.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.extender.ExtenderClient;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.Manifests;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.state.SnapshotFiles;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.NodeList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * filter → prioritize → bind over real HTTP on a cluster loaded from manifest files, on both HTTP
 * libraries; a node with a malformed register annotation is skipped and reported, and the extender
 * keeps serving the others.
 */
class ExtenderHttpIT {
  @TempDir Path dir;
  private ExtenderServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
    }
  }

  private InMemoryCluster start(ExtenderServer.Transport transport, String prefix)
      throws IOException {
    write(
        "nodes.yaml",
        Manifests.node("gpu-1", 2, 16384, 4),
        Manifests.node("gpu-2", 2, 16384, 4),
        Manifests.nodeWithRegister("broken", "[{\"id\":", 8));
    write("pods.yaml", Manifests.runningPod("old", "gpu-1", "GPU-gpu-1-0,NVIDIA,10000,50:;"));
    var loaded = SnapshotFiles.load(dir, "nvidia.com/gpu", Fixtures.CLOCK, f -> Optional.empty());
    assertThat(loaded.skipped()).singleElement().asString().contains("node broken skipped");
    InMemoryCluster cluster = loaded.toCluster();
    var settings =
        new ExtenderServer.Settings(
            transport,
            TransportSettings.plain("127.0.0.1", 0, 4),
            prefix,
            DeviceConfig.chartDefaults(),
            Engine.Options.DEFAULTS,
            Duration.ofSeconds(30),
            Duration.ofMillis(200));
    server =
        ExtenderServer.start(
            cluster, cluster, new EngineRanking(Engine.Options.DEFAULTS), settings, Fixtures.CLOCK);
    return cluster;
  }

  private void write(String name, JsonNode... docs) throws IOException {
    var sb = new StringBuilder();
    for (JsonNode d : docs) {
      sb.append("---\n").append(Fixtures.JSON.writeValueAsString(d)).append('\n');
    }
    Files.writeString(dir.resolve(name), sb.toString(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(ExtenderServer.Transport.class)
  void filterPrioritizeBindOverHttp(ExtenderServer.Transport transport) throws IOException {
    InMemoryCluster cluster = start(transport, "/tessera");
    var client = new ExtenderClient(server.port(), "/tessera");
    JsonNode pod = Manifests.pod("default", "infer", 8000, 30);
    var names = List.of("gpu-1", "gpu-2", "broken", "ghost");

    var filtered = client.filter(new ExtenderArgs(pod, null, names));
    var prioritized = client.prioritize(new ExtenderArgs(pod, null, filtered.nodeNames()));
    var bound =
        client.bind(new ExtenderBindingArgs("infer", "default", "uid-default-infer", "gpu-1"));

    assertThat(filtered.nodeNames()).containsExactly("gpu-1", "gpu-2");
    assertThat(filtered.failedAndUnresolvableNodes()).containsOnlyKeys("broken", "ghost");
    assertThat(filtered.failedAndUnresolvableNodes().get("ghost")).isEqualTo("node unregistered");
    // binpack: gpu-1 already runs a pod, so it is preferred
    assertThat(prioritized).hasSize(2);
    assertThat(prioritized.get(0).score()).isEqualTo(10);
    assertThat(prioritized.get(1).score()).isEqualTo(1);
    assertThat(bound.error()).isEmpty();
    var written = cluster.pod("default", "infer").orElseThrow();
    assertThat(written.nodeName()).isEqualTo("gpu-1");
    // GPU 0 has 6,384 MiB left: the 8,000 MiB pod goes to GPU 1
    assertThat(written.annotations())
        .containsEntry(Annotations.DEVICES_ALLOCATED, "GPU-gpu-1-1,NVIDIA,8000,30:;");

    assertThat(client.get("/healthz", server.port()).statusCode()).isEqualTo(200);
    assertThat(client.get("/readyz", server.port()).statusCode()).isEqualTo(200);
    var metrics = new String(client.get("/metrics", server.port()).body(), StandardCharsets.UTF_8);
    assertThat(metrics)
        .contains("tessera_extender_request_duration_seconds_count{verb=\"filter\"} 1")
        .contains("tessera_extender_binds_total{result=\"bound\"} 1.0")
        .contains("tessera_extender_filtered_nodes_total{reason=\"node unregistered\"} 2.0")
        .contains(
            "tessera_gpu_memory_allocated_mib{device_type=\"NVIDIA A100-SXM4-40GB\",device_uuid=\"GPU-gpu-1-1\",node=\"gpu-1\"} 8000.0");
    assertThat(client.post("nope", new byte[] {'{', '}'}).statusCode()).isEqualTo(404);
    assertThat(client.post("filter", new byte[0]).statusCode()).isEqualTo(400);
  }

  @ParameterizedTest
  @EnumSource(ExtenderServer.Transport.class)
  void wholeNodeObjectsWithAMalformedOneStillServeTheRest(ExtenderServer.Transport transport)
      throws IOException {
    start(transport, "");
    var client = new ExtenderClient(server.port(), "");
    JsonNode good = Manifests.node("gpu-2", 2, 16384, 4);
    JsonNode bad = Manifests.nodeWithRegister("gpu-9", "GPU-x,10,16384,100,NVIDIA,0,true:", 8);

    var r =
        client.filter(
            new ExtenderArgs(
                Manifests.pod("default", "p", 4000, 10), new NodeList(List.of(bad, good)), null));

    assertThat(r.nodes().items())
        .extracting(n -> n.path("metadata").path("name").asText())
        .containsExactly("gpu-2");
    assertThat(r.failedAndUnresolvableNodes().get("gpu-9")).startsWith("node unregistered: ");
    assertThat(r.error()).isNull();
  }

  @ParameterizedTest
  @EnumSource(ExtenderServer.Transport.class)
  void badJsonIsAnErrorInTheBodyNotACrash(ExtenderServer.Transport transport) throws IOException {
    start(transport, "");
    var client = new ExtenderClient(server.port(), "");

    var r = client.post("filter", "{\"Pod\": [".getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .contains("\"Error\":\"cannot read ExtenderArgs");
  }
}
