package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.testing.FakeApiServer;
import java.time.Duration;
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

  private void startState() throws Exception {
    state = new InformerClusterState(server.client(), clock, Duration.ofSeconds(30));
    state.start();
    state.awaitSynced(Duration.ofSeconds(30));
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
        "v1/pods",
        KubeFixtures.pod("ns", "p1", allocated("a", "GPU-a-1,NVIDIA,4000,30:;")));
    server.create("v1/pods", KubeFixtures.pod("ns", "plain", Map.of()));
    startState();

    ClusterSnapshot s = state.snapshot();
    assertThat(s.nodes()).extracting(n -> n.node().name()).containsExactly("a", "b");
    assertThat(s.node("a").orElseThrow().node().cpuMilli()).isEqualTo(16000);
    assertThat(s.node("a").orElseThrow().node().memoryMiB()).isEqualTo(65536);
    assertThat(s.nodeOf("ns/p1")).contains("a");
    assertThat(usage(s, "a", 1).usedMemMiB()).isEqualTo(4000);
    assertThat(usage(s, "a", 1).usedCores()).isEqualTo(30);
    assertThat(usage(s, "a", 0).used()).isZero();
    assertThat(state.pod("ns", "plain")).isPresent();
  }

  @Test
  void podEventsUpdateUsageWithoutRebuilding() throws Exception {
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 1));
    startState();
    state.snapshot();
    long rebuilds = state.rebuilds();

    server.create("v1/pods", KubeFixtures.pod("ns", "p", allocated("a", "GPU-a-0,NVIDIA,1000,10:;")));
    await(() -> state.snapshot().podCount() == 1);
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(1000);

    server.mergePatch("v1/pods", "ns", "p", "{\"status\":{\"phase\":\"Succeeded\"}}");
    await(() -> state.snapshot().podCount() == 0);
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isZero();

    server.create("v1/pods", KubeFixtures.pod("ns", "q", allocated("a", "GPU-a-0,NVIDIA,2000,20:;")));
    await(() -> state.snapshot().podCount() == 1);
    server.delete("v1/pods", "ns", "q");
    await(() -> state.snapshot().podCount() == 0);
    assertThat(state.rebuilds()).isEqualTo(rebuilds);
  }

  @Test
  void malformedAnnotationsAreSkippedCountedAndTheRestIsServed() throws Exception {
    server.create("v1/nodes", KubeFixtures.gpuNode("good", 1));
    server.create("v1/nodes", KubeFixtures.node("bad", Map.of(Annotations.NODE_REGISTER, "[{\"id\":")));
    server.create("v1/pods", KubeFixtures.pod("ns", "ok", allocated("good", "GPU-good-0,NVIDIA,100,1:;")));
    server.create("v1/pods", KubeFixtures.pod("ns", "broken", allocated("good", "GPU-x,NVIDIA;")));
    startState();

    ClusterSnapshot s = state.snapshot();
    assertThat(s.nodes()).extracting(n -> n.node().name()).containsExactly("good");
    assertThat(s.nodeOf("ns/ok")).contains("good");
    assertThat(s.nodeOf("ns/broken")).isEmpty();
    assertThat(state.malformedNodes()).isGreaterThanOrEqualTo(1);
    assertThat(state.malformedPods()).isGreaterThanOrEqualTo(1);
    assertThat(state.skipped())
        .containsKeys("node bad", "pod ns/broken")
        .hasEntrySatisfying(
            "node bad", reason -> assertThat(reason).contains(Annotations.NODE_REGISTER));

    // A node that stops decoding keeps its last good devices (hami-compat §3.3).
    server.mergePatch(
        "v1/nodes",
        "",
        "good",
        "{\"metadata\":{\"annotations\":{\"" + Annotations.NODE_REGISTER + "\":\"nonsense\"}}}");
    await(() -> state.skipped().containsKey("node good"));
    assertThat(state.snapshot().node("good")).isPresent();
    assertThat(state.snapshot().nodeOf("ns/ok")).contains("good");
  }

  @Test
  void nodeChangesRebuildAndKeepPods() throws Exception {
    server.create("v1/pods", KubeFixtures.pod("ns", "early", allocated("late", "GPU-late-0,NVIDIA,500,5:;")));
    startState();
    assertThat(state.snapshot().podCount()).isZero();

    server.create("v1/nodes", KubeFixtures.gpuNode("late", 1));
    await(() -> state.snapshot().node("late").isPresent());
    assertThat(state.snapshot().nodeOf("ns/early")).contains("late");
    assertThat(usage(state.snapshot(), "late", 0).usedMemMiB()).isEqualTo(500);

    server.delete("v1/nodes", "", "late");
    await(() -> state.snapshot().node("late").isEmpty());
    assertThat(state.snapshot().podCount()).isZero();
  }

  @Test
  void assumedPlacementsAreConfirmedForgottenOrExpired() throws Exception {
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 1));
    server.create("v1/pods", KubeFixtures.pod("ns", "p", Map.of()));
    server.create("v1/pods", KubeFixtures.pod("ns", "q", Map.of()));
    server.create("v1/pods", KubeFixtures.pod("ns", "r", Map.of()));
    startState();
    var dev = List.of(List.of(ContainerDevice.of("GPU-a-0", "NVIDIA", 3000, 30)));

    state.assume(new Placement("ns/p", "", "a", 0, dev));
    state.assume(new Placement("ns/p", "", "a", 0, dev)); // idempotent
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(3000);

    // Confirmed: the API server shows the same allocation.
    server.mergePatch(
        "v1/pods",
        "ns",
        "p",
        "{\"metadata\":{\"annotations\":{\"hami.io/vgpu-node\":\"a\","
            + "\"hami.io/vgpu-devices-allocated\":\"GPU-a-0,NVIDIA,3000,30:;\"}}}");
    await(() -> state.pendingAssumptions() == 0);
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(3000);
    state.forget("ns/p"); // observed placements stay
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(3000);
    assertThatThrownBy(
            () ->
                state.assume(
                    new Placement(
                        "ns/p", "", "a", 0, List.of(List.of(ContainerDevice.of("GPU-a-0", "NVIDIA", 1, 1))))))
        .isInstanceOf(IllegalStateException.class);

    // Forgotten after a failed bind.
    state.assume(new Placement("ns/q", "", "a", 0, dev));
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(6000);
    state.forget("ns/q");
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(3000);

    // Expired: never shown by the API server.
    state.assume(new Placement("ns/r", "", "a", 0, dev));
    clock.advance(Duration.ofSeconds(29));
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(6000);
    clock.advance(Duration.ofSeconds(1));
    assertThat(usage(state.snapshot(), "a", 0).usedMemMiB()).isEqualTo(3000);
    assertThat(state.expiredAssumptions()).isEqualTo(1);

    assertThatThrownBy(() -> state.assume(new Placement("ns/r", "", "nowhere", 0, dev)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nowhere");
  }
}
