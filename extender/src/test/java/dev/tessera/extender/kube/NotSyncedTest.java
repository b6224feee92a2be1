package dev.tessera.extender.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Right after a start, before the informers' first list arrived, the verbs answer so that
 * kube-scheduler retries: filter and bind with an Error (never "node unregistered" for every node,
 * which would mark the pod unschedulable without preemption), prioritize with no scores; bind
 * writes nothing. Once the lists arrive they decide on the whole cluster.
 */
class NotSyncedTest {
  private FakeApiServer server;
  private InformerClusterState state;
  private ExtenderMetrics metrics;
  private Extender extender;
  private final KubeFixtures.MutableClock clock =
      new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

  @BeforeEach
  void start() {
    server = FakeApiServer.start();
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 1));
    // A running pod already holds most of a's only GPU: a bind blind to it would over-commit.
    server.create(
        "v1/pods",
        KubeFixtures.pod(
            "ns",
            "running",
            Map.of(
                dev.tessera.engine.codec.Annotations.VGPU_NODE,
                "a",
                dev.tessera.engine.codec.Annotations.DEVICES_ALLOCATED,
                "GPU-a-0,NVIDIA,12000,50:;")));
    server.create("v1/pods", KubeFixtures.gpuPod("ns", "p", 8000, 25));
    server.holdLists();
    state = new InformerClusterState(server.client(), "nvidia.com/gpu", clock);
    state.start();
    metrics = new ExtenderMetrics(state::snapshot);
    var options = Engine.Options.DEFAULTS;
    extender =
        new Extender(
            state,
            new ApiBinder(server.client()),
            new EngineRanking(options),
            DeviceConfig.chartDefaults(),
            options,
            new Reservations(state, clock, Duration.ofSeconds(30)),
            metrics,
            clock);
  }

  @AfterEach
  void stop() {
    server.releaseLists();
    state.close();
    server.close();
  }

  private ExtenderArgs args() throws Exception {
    JsonNode pod = KubeFixtures.JSON.readTree(KubeFixtures.gpuPod("ns", "p", 8000, 25));
    return new ExtenderArgs(pod, null, List.of("a"));
  }

  private String scrape() {
    return new String(metrics.scrape(), StandardCharsets.UTF_8);
  }

  @Test
  void beforeTheFirstListTheVerbsAskKubeSchedulerToRetryAndWriteNothing() throws Exception {
    assertThat(state.ready()).isFalse();

    var filter = extender.filter(args());
    var scores = extender.prioritize(args());
    var bind = extender.bind(new ExtenderBindingArgs("p", "ns", "", "a"));

    assertThat(filter.error()).isEqualTo(Extender.NOT_SYNCED);
    assertThat(filter.failedAndUnresolvableNodes()).isNullOrEmpty();
    assertThat(filter.failedNodes()).isNullOrEmpty();
    assertThat(scores).isEmpty();
    assertThat(bind.error()).isEqualTo(Extender.NOT_SYNCED);
    assertThat(server.requests())
        .noneMatch(r -> r.method().equals("PATCH") || r.method().equals("POST"));
    assertThat(scrape())
        .contains("tessera_extender_binds_total{result=\"not_synced\"} 1.0")
        .contains("tessera_extender_not_synced_total{verb=\"filter\"} 1.0")
        .contains("tessera_extender_not_synced_total{verb=\"prioritize\"} 1.0");
  }

  @Test
  void onceTheListsArriveTheVerbsDecideOnTheWholeCluster() throws Exception {
    extender.filter(args());
    server.releaseLists();
    state.awaitReady(Duration.ofSeconds(30));

    var filter = extender.filter(args());
    // 8000 MiB more does not fit next to the running pod's 12000 of 16384.
    assertThat(filter.error()).isNullOrEmpty();
    assertThat(filter.nodeNames()).isEmpty();
    assertThat(filter.failedNodes().get("a")).contains("CardInsufficientMemory");

    var small = KubeFixtures.JSON.readTree(KubeFixtures.gpuPod("ns", "p", 4000, 25));
    assertThat(extender.filter(new ExtenderArgs(small, null, List.of("a"))).nodeNames())
        .containsExactly("a");
  }
}
