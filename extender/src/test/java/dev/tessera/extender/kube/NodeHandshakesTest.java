package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.health.Handshake;
import dev.tessera.extender.testing.FakeApiServer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeHandshakesTest {
  private FakeApiServer server;
  private InformerClusterState state;
  private final KubeFixtures.MutableClock clock =
      new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final AtomicBoolean leading = new AtomicBoolean(true);
  private NodeHandshakes handshakes;

  @BeforeEach
  void start() throws Exception {
    server = FakeApiServer.start();
    server.create("v1/nodes", KubeFixtures.gpuNode("n", 2));
    state = KubeFixtures.startedState(server, clock);
    handshakes = new NodeHandshakes(server.client(), state, leading::get, "nvidia.com/gpu", clock);
  }

  @AfterEach
  void stop() {
    handshakes.close();
    state.close();
    server.close();
  }

  private String handshake() {
    return server
        .get("v1/nodes", "", "n")
        .orElseThrow()
        .path("metadata")
        .path("annotations")
        .path(Annotations.NODE_HANDSHAKE)
        .asText("");
  }

  @Test
  void leaderStampsHandshakesAndDropsNodesThatLoseTheirGpus() throws Exception {
    // Round 1 learns the allocatable count; round 2 sees the register annotation and stamps.
    handshakes.round();
    handshakes.round();
    assertThat(handshake()).isEqualTo(Handshake.requesting(clock.instant(), clock.getZone()));
    assertThat(state.snapshot().node("n")).isPresent();

    // The device plugin went away: allocatable drops to 0.
    server.mergePatch(
        "v1/nodes", "", "n", "{\"status\":{\"allocatable\":{\"nvidia.com/gpu\":\"0\"}}}");
    await(
        () ->
            state
                    .nodeObjects()
                    .get(0)
                    .getStatus()
                    .getAllocatable()
                    .get("nvidia.com/gpu")
                    .getNumber()
                    .intValue()
                == 0);
    handshakes.round();
    assertThat(handshake()).isEmpty();
    assertThat(state.snapshot().node("n")).isEmpty();

    // It comes back.
    server.mergePatch(
        "v1/nodes", "", "n", "{\"status\":{\"allocatable\":{\"nvidia.com/gpu\":\"20\"}}}");
    await(
        () ->
            state
                    .nodeObjects()
                    .get(0)
                    .getStatus()
                    .getAllocatable()
                    .get("nvidia.com/gpu")
                    .getNumber()
                    .intValue()
                == 20);
    handshakes.round();
    assertThat(state.snapshot().node("n")).isPresent();
  }

  @Test
  void followersWriteNothing() {
    leading.set(false);
    handshakes.round();
    handshakes.round();
    assertThat(handshake()).isEmpty();
    assertThat(server.requests()).allMatch(r -> r.method().equals("GET"));
  }
}
