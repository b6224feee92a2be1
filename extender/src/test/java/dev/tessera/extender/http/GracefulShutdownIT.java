package dev.tessera.extender.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.Node;
import dev.tessera.extender.ExtenderClient;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.Manifests;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.state.Binder;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import dev.tessera.extender.wire.KubePod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stopping the server lets a bind that is in flight finish and answer before the server stops. */
class GracefulShutdownIT {
  @ParameterizedTest
  @EnumSource(ExtenderServer.Transport.class)
  void stopDrainsTheBindInFlight(ExtenderServer.Transport transport) throws Exception {
    InMemoryCluster cluster =
        InMemoryCluster.of(
            List.of(
                Node.of(
                    "n1", List.of(GpuDevice.of("GPU-1", 0, "NVIDIA A100", 40_000, 100, 10, 0)))),
            List.of(),
            List.of());
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    Binder slow =
        new Binder() {
          @Override
          public void annotate(KubePod pod, Map<String, String> a, Map<String, String> l) {
            cluster.annotate(pod, a, l);
          }

          @Override
          public void bind(KubePod pod, String node) {
            entered.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            cluster.bind(pod, node);
          }
        };
    var settings =
        new ExtenderServer.Settings(
            transport,
            TransportSettings.plain("127.0.0.1", 0, 2),
            "",
            DeviceConfig.chartDefaults(),
            Engine.Options.DEFAULTS,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    var server =
        ExtenderServer.start(
            cluster, slow, new EngineRanking(Engine.Options.DEFAULTS), settings, Fixtures.CLOCK);
    var client = new ExtenderClient(server.port(), "");
    client.filter(new ExtenderArgs(Manifests.pod("default", "p", 1000, 10), null, List.of("n1")));

    CompletableFuture<ExtenderBindingResult> bind =
        CompletableFuture.supplyAsync(
            () -> client.bind(new ExtenderBindingArgs("p", "default", "uid-default-p", "n1")));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> stop =
        CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(30)));
    release.countDown();

    assertThat(bind.get(30, TimeUnit.SECONDS).error()).isEmpty();
    stop.get(30, TimeUnit.SECONDS);
    assertThat(cluster.pod("default", "p").orElseThrow().nodeName()).isEqualTo("n1");
  }
}
