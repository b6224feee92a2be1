package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.testing.FakeApiServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InformerClusterStateTest {
  private FakeApiServer server;
  private InformerClusterState state;
  private final KubeFixtures.MutableClock clock =
      new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

  @BeforeEach
  void start() {
    server = FakeApiServer.start();
  }

  @AfterEach
  void stop() {
    if (state != null) {
      state.close();
    }
    server.close();
  }

  private static DeviceUsage usage(ClusterSnapshot s, String node, int gpu) {
    return s.node(node).orElseThrow().usage().get(gpu);
  }

  private static Map<String, String> allocated(String node, String value) {
    return Map.of(Annotations.VGPU_NODE, node, Annotations.DEVICES_ALLOCATED, value);
  }

  @Test
  void registeredNodesAndAnnotatedPodsMakeTheSnapshot() throws Exception {
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 2));
    server.create("v1/nodes", KubeFixtures.gpuNode("b", 1));
    server.create("v1/nodes", KubeFixtures.node("cpu-only", Map.of()));
    server.create(
        "v1/pods", KubeFixtures.pod("ns", "p1", allocated("a", "GPU-a-1,NVIDIA,4000,30:;")));
    server.create("v1/pods", KubeFixtures.pod("ns", "plain", Map.of()));
    state = KubeFixtures.startedState(server, clock);

    ClusterSnapshot s = state.snapshot();
    assertThat(s.nodes()).extracting(n -> n.node().name()).containsExactly("a", "b");
    assertThat(s.node("a").orElseThrow().node().cpuMilli()).isEqualTo(16000);
    assertThat(s.node("a").orElseThrow().node().memoryMiB()).isEqualTo(65536);
    assertThat(s.nodeOf("ns/p1")).contains("a");
    assertThat(usage(s, "a", 1).usedMemMiB()).isEqualTo(4000);
    assertThat(usage(s, "a", 1).usedCores()).isEqualTo(30);
    assertThat(usage(s, "a", 0).used()).isZero();
    assertThat(state.pod("ns", "plain"))
        .hasValueSatisfying(p -> assertThat(p.key()).isEqualTo("ns/plain"));
    assertThat(state.skipped()).isEmpty();
  }

  @Test
  void podEventsUpdateUsageWithoutRebuilding() throws Exception {
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 1));
    state = KubeFixtures.startedState(server, clock);
    state.snapshot();
    long rebuilds = state.rebuilds();

    server.create(
        "v1/pods", KubeFixtures.pod("ns", "p", allocated("a", "GPU-a-0,NVIDIA,1000,10:;")));
    await(() -> state.snapshot().podCount() == 1);
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(1000);

    server.mergePatch("v1/pods", "ns", "p", "{\"status\":{\"phase\":\"Succeeded\"}}");
    await(() -> state.snapshot().podCount() == 0);
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isZero();

    server.create(
        "v1/pods", KubeFixtures.pod("ns", "q", allocated("a", "GPU-a-0,NVIDIA,2000,20:;")));
    await(() -> state.snapshot().podCount() == 1);
    server.mergePatch(
        "v1/pods",
        "ns",
        "q",
        "{\"metadata\":{\"annotations\":{\"hami.io/bind-phase\":\"failed\"}}}");
    await(() -> state.snapshot().podCount() == 0);

    server.create(
        "v1/pods", KubeFixtures.pod("ns", "r", allocated("a", "GPU-a-0,NVIDIA,3000,30:;")));
    await(() -> state.snapshot().podCount() == 1);
    server.delete("v1/pods", "ns", "r");
    await(() -> state.snapshot().podCount() == 0);
    assertThat(state.rebuilds()).isEqualTo(rebuilds);
  }

  @Test
  void malformedAnnotationsAreSkippedCountedAndTheRestIsServed() throws Exception {
    server.create("v1/nodes", KubeFixtures.gpuNode("good", 1));
    server.create(
        "v1/nodes", KubeFixtures.node("bad", Map.of(Annotations.NODE_REGISTER, "[{\"id\":")));
    server.create(
        "v1/pods", KubeFixtures.pod("ns", "ok", allocated("good", "GPU-good-0,NVIDIA,100,1:;")));
    server.create("v1/pods", KubeFixtures.pod("ns", "broken", allocated("good", "GPU-x,NVIDIA;")));
    state = KubeFixtures.startedState(server, clock);

    ClusterSnapshot s = state.snapshot();
    assertThat(s.nodes()).extracting(n -> n.node().name()).containsExactly("good");
    assertThat(s.nodeOf("ns/ok")).contains("good");
    assertThat(s.nodeOf("ns/broken")).isEmpty();
    assertThat(state.malformedNodes()).isPositive();
    assertThat(state.malformedPods()).isPositive();
    assertThat(state.skipped())
        .containsOnlyKeys("node bad", "pod ns/broken")
        .hasEntrySatisfying("node bad", r -> assertThat(r).contains(Annotations.NODE_REGISTER))
        .hasEntrySatisfying(
            "pod ns/broken", r -> assertThat(r).contains(Annotations.DEVICES_ALLOCATED));

    var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
    state.registerMetrics(registry);
    var out = new java.io.ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
        .write(out, registry.scrape());
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("tessera_state_skipped_objects{kind=\"node\"} 1")
        .contains("tessera_state_skipped_objects{kind=\"pod\"} 1")
        .containsPattern("tessera_state_malformed_annotations_total\\{kind=\"node\"\\} [1-9]");

    // A node that stops decoding keeps its last good devices (hami-compat §3.3).
    server.mergePatch(
        "v1/nodes",
        "",
        "good",
        "{\"metadata\":{\"annotations\":{\"" + Annotations.NODE_REGISTER + "\":\"nonsense\"}}}");
    await(() -> state.skipped().containsKey("node good"));
    assertThat(state.snapshot().node("good")).isPresent();
    assertThat(state.snapshot().nodeOf("ns/ok")).contains("good");

    // Fixed annotations bring the node back into service.
    server.mergePatch(
        "v1/nodes",
        "",
        "bad",
        "{\"metadata\":{\"annotations\":{\""
            + Annotations.NODE_REGISTER
            + "\":"
            + KubeFixtures.JSON.writeValueAsString(
                dev.tessera.engine.codec.NodeRegisterCodec.encode(KubeFixtures.gpus("bad", 1)))
            + "}}}");
    await(() -> state.snapshot().node("bad").isPresent());
    assertThat(state.skipped()).doesNotContainKey("node bad");
  }

  @Test
  void nodeChangesRebuildAndKeepObservedAndAssumedPods() throws Exception {
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 1));
    server.create(
        "v1/pods", KubeFixtures.pod("ns", "early", allocated("late", "GPU-late-0,NVIDIA,500,5:;")));
    state = KubeFixtures.startedState(server, clock);
    assertThat(state.snapshot().podCount()).isZero();
    // An assumption the API server does not show yet (the extender's bind in flight).
    state.update(
        s ->
            s.assume(
                new Placement(
                    "ns/assumed",
                    "",
                    "a",
                    0,
                    List.of(List.of(ContainerDevice.of("GPU-a-0", "NVIDIA", 700, 7))))));

    server.create("v1/nodes", KubeFixtures.gpuNode("late", 1));
    await(() -> state.snapshot().node("late").isPresent());
    assertThat(state.snapshot().nodeOf("ns/early")).contains("late");
    assertThat(usage(state.snapshot(), "late", 0).usedMemMiB()).isEqualTo(500);
    assertThat(state.snapshot().nodeOf("ns/assumed")).contains("a");
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(700);

    server.delete("v1/nodes", "", "late");
    await(() -> state.snapshot().node("late").isEmpty());
    assertThat(state.snapshot().podCount()).isEqualTo(1);
  }

  @Test
  void observedAllocationReplacesTheAssumptionWithoutCountingTwice() throws Exception {
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 1));
    server.create("v1/pods", KubeFixtures.pod("ns", "p", Map.of()));
    state = KubeFixtures.startedState(server, clock);
    var dev = List.of(List.of(ContainerDevice.of("GPU-a-0", "NVIDIA", 3000, 30)));
    state.update(s -> s.assume(new Placement("ns/p", "", "a", 0, dev)));

    // A pod update without the allocation leaves the assumption alone.
    server.mergePatch("v1/pods", "ns", "p", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
    await(() -> state.pod("ns", "p").map(p -> p.labels().containsKey("x")).orElse(false));
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(3000);

    server.mergePatch(
        "v1/pods",
        "ns",
        "p",
        "{\"metadata\":{\"annotations\":{\"hami.io/vgpu-node\":\"a\","
            + "\"hami.io/vgpu-devices-allocated\":\"GPU-a-0,NVIDIA,3000,30:;\"}}}");
    await(() -> state.observedPods() == 1);
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(3000);
    assertThat(usage(state.snapshot(), "a", 0).used()).isEqualTo(1);
    assertThat(state.snapshot().podCount()).isEqualTo(1);
  }
}
