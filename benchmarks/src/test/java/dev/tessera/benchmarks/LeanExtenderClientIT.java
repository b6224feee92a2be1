package dev.tessera.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.http.TransportSettings;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.sim.bench.BenchCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lean load-generator client against the real extender over loopback (Netty, 8 nodes). */
class LeanExtenderClientIT {
  private static final int NODES = 8;

  private InMemoryCluster cluster;
  private ExtenderServer server;
  private List<String> names;
  private LeanExtenderClient client;

  @BeforeEach
  void start() {
    cluster = InMemoryCluster.serving(BenchCluster.cluster(NODES, new Random(3)));
    var settings =
        new ExtenderServer.Settings(
            ExtenderServer.Transport.NETTY,
            TransportSettings.plain("127.0.0.1", 0, 2),
            "",
            DeviceConfig.chartDefaults(),
            Engine.Options.DEFAULTS,
            Duration.ofMinutes(10),
            Duration.ofSeconds(1));
    server =
        ExtenderServer.start(
            cluster,
            cluster,
            new EngineRanking(Engine.Options.DEFAULTS),
            settings,
            Clock.systemUTC());
    names = cluster.snapshot().nodes().stream().map(n -> n.node().name()).toList();
    client = new LeanExtenderClient("127.0.0.1", server.port(), names);
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(Duration.ofSeconds(5));
  }

  @Test
  void filterPrioritizeBindPlaceThePodOnAScoredNode() throws Exception {
    var feasible = client.filter("a-1", 8000, 30);

    List<String> feasibleNames =
        List.of(new ObjectMapper().readValue(feasible.namesJson(), String[].class));
    assertThat(feasibleNames).hasSize(feasible.count()).isNotEmpty();
    assertThat(names).containsAll(feasibleNames);

    var scores = client.prioritize("a-1", 8000, 30, feasible);
    assertThat(scores)
        .extracting(LeanExtenderClient.Scored::host)
        .containsExactlyInAnyOrderElementsOf(feasibleNames);
    assertThat(scores).allSatisfy(s -> assertThat(s.score()).isBetween(0L, 10L));

    String node = scores.get(0).host();
    assertThat(client.bind("a-1", node)).isEmpty();
    var pod = cluster.pod("bench", "a-1").orElseThrow();
    assertThat(pod.nodeName()).isEqualTo(node);
    assertThat(pod.annotations()).containsKey(Annotations.DEVICES_ALLOCATED);
  }

  @Test
  void aPodThatFitsNowhereHasNoFeasibleNodes() {
    var feasible = client.filter("huge", 500_000, 30);

    assertThat(feasible.count()).isZero();
  }

  @Test
  void aRefusedBindReturnsTheExtendersError() {
    var feasible = client.filter("b-1", 8000, 30);
    String node = client.prioritize("b-1", 8000, 30, feasible).get(0).host();
    assertThat(client.bind("b-1", node)).isEmpty();

    String other = names.stream().filter(n -> !n.equals(node)).findFirst().orElseThrow();
    assertThat(client.bind("b-1", other)).isNotEmpty();
    assertThat(cluster.pod("bench", "b-1").orElseThrow().nodeName()).isEqualTo(node);
  }

  @Test
  void keepAliveConnectionsAreReusedAcrossManyCalls() {
    // more calls than a server would accept fresh connections for in a tight loop without reuse
    for (int i = 0; i < 200; i++) {
      assertThat(client.filter("c-" + i, 1000, 5).count()).isPositive();
    }
  }

  @Test
  void namesThatNeedJsonEscapingAreRejected() {
    assertThatThrownBy(() -> client.filter("a\"b", 1000, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("escaping");
  }
}
