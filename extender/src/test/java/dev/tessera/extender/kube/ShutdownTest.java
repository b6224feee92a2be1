package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.extender.ExtenderClient;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.http.TransportSettings;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.state.ShutdownSignal;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop of a live extender: {@code /readyz} turns 503 first while verbs are still
 * answered; then a bind waiting in the allocation gate gives up with an error kube-scheduler
 * retries (nothing written for it), so the drain ends without leaving annotations behind.
 */
class ShutdownTest {
  private static final String NODE = "a";

  @Test
  void readyzTurns503FirstThenAGatedBindIsAnsweredWithAnErrorAndTheDrainEnds() throws Exception {
    var clock = new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    var shutdown = new ShutdownSignal();
    try (FakeApiServer api = FakeApiServer.start()) {
      api.create("v1/nodes", KubeFixtures.gpuNode(NODE, 2));
      api.create("v1/pods", KubeFixtures.gpuPod("ns", "p1", 4000, 25));
      api.create("v1/pods", KubeFixtures.gpuPod("ns", "p2", 4000, 25));
      try (LiveCluster live =
          LiveCluster.connect(
              new LiveCluster.Clients(api.client(), api.client(Duration.ofSeconds(10))),
              new LiveCluster.Settings(
                  Optional.empty(),
                  "nvidia.com/gpu",
                  LiveCluster.Leadership.ALWAYS,
                  Optional.empty(),
                  new AllocationGate.Settings(
                      Duration.ofSeconds(30), Duration.ofMinutes(10), shutdown),
                  LiveCluster.DEFAULT_CALL_TIMEOUT),
              clock)) {
        live.awaitReady(Duration.ofSeconds(30));
        await(() -> live.state().snapshot().node(NODE).isPresent());
        var server =
            ExtenderServer.start(
                live.state(),
                live.binder(),
                new EngineRanking(Engine.Options.DEFAULTS),
                new ExtenderServer.Settings(
                    ExtenderServer.Transport.JDK,
                    TransportSettings.plain("127.0.0.1", 0, 4),
                    "",
                    DeviceConfig.chartDefaults(),
                    Engine.Options.DEFAULTS,
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(1)),
                clock,
                new ExtenderServer.Hooks(live::leading, shutdown));
        var client = new ExtenderClient(server.port(), "");
        assertThat(client.get("/readyz", server.port()).statusCode()).isEqualTo(200);

        // p1 is bound and waits for Allocate; p2 has the same shape, so its bind waits for p1.
        assertThat(client.bind(args(api, "p1")).ok()).isTrue();
        CompletableFuture<ExtenderBindingResult> second =
            CompletableFuture.supplyAsync(() -> client.bind(args(api, "p2")));
        await(ShutdownTest::aBindWaitsInTheGate);

        server.unready();
        assertThat(client.get("/readyz", server.port()).statusCode()).isEqualTo(503);
        var pod = KubeFixtures.JSON.readTree(KubeFixtures.gpuPod("ns", "p3", 4000, 25));
        var filter = client.filter(new ExtenderArgs(pod, null, List.of(NODE)));
        assertThat(filter.nodeNames()).containsExactly(NODE); // still served while unready
        assertThat(second).isNotDone();

        CompletableFuture<Void> stop =
            CompletableFuture.runAsync(() -> server.stop(Duration.ofMinutes(1)));

        var r = second.get(30, TimeUnit.SECONDS);
        stop.get(30, TimeUnit.SECONDS);
        assertThat(r.error())
            .contains("pod ns/p2 was not bound to node a")
            .contains("shutting down");
        var p2 = api.get("v1/pods", "ns", "p2").orElseThrow();
        assertThat(p2.path("metadata").path("annotations").has(Annotations.VGPU_NODE)).isFalse();
        assertThat(p2.path("spec").path("nodeName").asText()).isEmpty();
        assertThat(live.state().snapshot().nodeOf("ns/p2")).isEmpty();
        assertThat(new String(server.metrics().scrape(), StandardCharsets.UTF_8))
            .contains("tessera_extender_binds_total{result=\"failed\"} 1.0")
            .contains("tessera_extender_binds_total{result=\"bound\"} 1.0");
      }
    }
  }

  private static ExtenderBindingArgs args(FakeApiServer api, String pod) {
    String uid = api.get("v1/pods", "ns", pod).orElseThrow().path("metadata").path("uid").asText();
    return new ExtenderBindingArgs(pod, "ns", uid, NODE);
  }

  /** True when some thread sleeps inside {@link AllocationGate#enter}. */
  private static boolean aBindWaitsInTheGate() {
    for (var e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey().getState() != Thread.State.TIMED_WAITING) {
        continue;
      }
      for (StackTraceElement f : e.getValue()) {
        if (f.getClassName().equals(AllocationGate.class.getName())
            && f.getMethodName().equals("enter")) {
          return true;
        }
      }
    }
    return false;
  }
}
