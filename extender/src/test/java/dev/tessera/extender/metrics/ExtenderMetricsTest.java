package dev.tessera.extender.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.Node;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.Manifests;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.state.BindException;
import dev.tessera.extender.state.Binder;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.KubePod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Bind outcomes are told apart on {@code /metrics}: a standby's refusals are {@code not_leader},
 * not {@code failed}; the latency histogram reaches the 20 s a gated bind may wait.
 */
class ExtenderMetricsTest {
  private final InMemoryCluster cluster =
      InMemoryCluster.of(
          List.of(
              Node.of("n1", List.of(GpuDevice.of("GPU-1", 0, "NVIDIA A100", 40_000, 100, 10, 0)))),
          List.of(),
          List.of());
  private final ExtenderMetrics metrics = new ExtenderMetrics(cluster::snapshot);
  private final AtomicBoolean leading = new AtomicBoolean(true);

  private Extender extender(Binder binder) {
    return new Extender(
        cluster,
        binder,
        new EngineRanking(Engine.Options.DEFAULTS),
        DeviceConfig.chartDefaults(),
        Engine.Options.DEFAULTS,
        new Reservations(cluster, Fixtures.CLOCK, Duration.ofSeconds(30)),
        metrics,
        Fixtures.CLOCK,
        leading::get);
  }

  private String scrape() {
    return new String(metrics.scrape(), StandardCharsets.UTF_8);
  }

  private void arrive(Extender e, String name) {
    e.filter(new ExtenderArgs(Manifests.pod("default", name, 1000, 10), null, List.of("n1")));
  }

  @Test
  void aStandbysRefusalsAreCountedAsNotLeaderAndBookNothing() {
    Extender e = extender(cluster);
    arrive(e, "p");
    leading.set(false);

    var r = e.bind(new ExtenderBindingArgs("p", "default", "", "n1"));

    assertThat(r.error()).contains("not the leader");
    assertThat(cluster.snapshot().nodeOf("default/p")).isEmpty();
    assertThat(e.reservations().pending()).isZero();
    assertThat(scrape())
        .contains("tessera_extender_binds_total{result=\"not_leader\"} 1.0")
        .doesNotContain("result=\"failed\"");
  }

  @Test
  void leadershipLostDuringABindIsNotLeaderWhileAnApiFailureIsFailed() {
    Binder losing =
        new Binder() {
          @Override
          public void annotate(KubePod pod, Map<String, String> a, Map<String, String> l) {
            if (pod.name().equals("lost")) {
              leading.set(false);
              throw new BindException("replica r1 is not the leader; only the leader binds");
            }
            throw new BindException("HTTP 500 etcdserver: request timed out");
          }

          @Override
          public void bind(KubePod pod, String node) {}
        };
    Extender e = extender(losing);
    arrive(e, "broken");
    arrive(e, "lost");

    e.bind(new ExtenderBindingArgs("broken", "default", "", "n1"));
    e.bind(new ExtenderBindingArgs("lost", "default", "", "n1"));

    assertThat(scrape())
        .contains("tessera_extender_binds_total{result=\"failed\"} 1.0")
        .contains("tessera_extender_binds_total{result=\"not_leader\"} 1.0");
  }

  @Test
  void theLatencyHistogramReachesGatedBinds() {
    metrics.observe("bind", Duration.ofSeconds(18).toNanos());

    String text = scrape();
    assertThat(text)
        .contains("tessera_extender_request_duration_seconds_bucket{verb=\"bind\",le=\"10.0\"} 0")
        .contains("tessera_extender_request_duration_seconds_bucket{verb=\"bind\",le=\"20.0\"} 1")
        .contains("tessera_extender_request_duration_seconds_bucket{verb=\"bind\",le=\"30.0\"} 1");
  }
}
