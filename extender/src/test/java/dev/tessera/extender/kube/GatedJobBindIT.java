package dev.tessera.extender.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A 40-pod job of identical one-GPU pods, all bound to one node at once through the live path
 * (informers, API binder, {@link AllocationGate}), with a simulated device plugin that marks each
 * pod served about 10 ms after its bind. The gate lets only one same-shaped pod wait for Allocate
 * at a time, so binds are serialised by that latency, not by a node lock. Prints the time the job
 * took to bind (docs/performance.md); asserts behaviour only.
 */
class GatedJobBindIT {
  private static final int PODS = 40;
  private static final String NODE = "node-000";

  @Test
  void aSameShapedJobOnOneNodeBindsOnePodAllocatingAtATime() throws Exception {
    Clock clock = Clock.systemUTC();
    try (FakeApiServer server = FakeApiServer.start()) {
      // 4 GPUs x 10 slots, 100 cores each: exactly room for 40 pods of 10 cores.
      server.create("v1/nodes", KubeFixtures.gpuNode(NODE, 4));
      for (int i = 0; i < PODS; i++) {
        server.create("v1/pods", KubeFixtures.gpuPod("job", "w" + i, 1000, 10));
      }
      try (LiveCluster live =
          LiveCluster.connect(
              new LiveCluster.Clients(server.client(), server.client(Duration.ofSeconds(10))),
              new LiveCluster.Settings(Optional.empty(), "nvidia.com/gpu", Optional.empty()),
              clock)) {
        live.awaitReady(Duration.ofSeconds(30));
        KubeFixtures.await(() -> live.state().snapshot().node(NODE).isPresent());
        Extender extender =
            KubeFixtures.extender(
                live.state(),
                live.binder(),
                new Reservations(live.state(), clock, Duration.ofMinutes(5)),
                clock);

        ScheduledExecutorService plugin = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger mostAllocating = new AtomicInteger();
        // kube-scheduler binds asynchronously: the whole job's binds arrive together.
        ExecutorService kubeScheduler = Executors.newFixedThreadPool(PODS);
        try {
          long start = System.nanoTime();
          var binds = new ArrayList<Future<Boolean>>();
          for (int i = 0; i < PODS; i++) {
            String name = "w" + i;
            binds.add(
                kubeScheduler.submit(
                    () -> {
                      String uid =
                          server
                              .get("v1/pods", "job", name)
                              .orElseThrow()
                              .path("metadata")
                              .path("uid")
                              .asText();
                      boolean ok =
                          extender.bind(new ExtenderBindingArgs(name, "job", uid, NODE)).ok();
                      if (ok) {
                        mostAllocating.accumulateAndGet(allocating(server).size(), Math::max);
                        plugin.schedule(() -> serve(server, name), 10, TimeUnit.MILLISECONDS);
                      }
                      return ok;
                    }));
          }
          int bound = 0;
          for (Future<Boolean> f : binds) {
            bound += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
          }
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          System.out.printf(
              "GatedJobBindIT: %d same-shape pods bound to one node through the gate in %d ms"
                  + " (%.1f ms per pod; simulated Allocate 10 ms after each bind)%n",
              PODS, millis, (double) millis / PODS);

          assertThat(bound).isEqualTo(PODS);
          // Never two same-shaped pods waiting for Allocate on the node together.
          assertThat(mostAllocating.get()).isEqualTo(1);
        } finally {
          kubeScheduler.shutdownNow();
          plugin.shutdown();
          plugin.awaitTermination(5, TimeUnit.SECONDS);
        }
        KubeFixtures.await(() -> allocating(server).isEmpty());
        for (int i = 0; i < PODS; i++) {
          var pod = server.get("v1/pods", "job", "w" + i).orElseThrow();
          assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo(NODE);
          assertThat(pod.path("metadata").path("annotations").path(Annotations.BIND_PHASE).asText())
              .isEqualTo("success");
        }
      }
    }
  }

  /** Pods the API server shows in bind-phase allocating. */
  private static List<String> allocating(FakeApiServer server) {
    return server.list("v1/pods").stream()
        .filter(
            p ->
                "allocating"
                    .equals(
                        p.path("metadata")
                            .path("annotations")
                            .path(Annotations.BIND_PHASE)
                            .asText()))
        .map(p -> p.path("metadata").path("name").asText())
        .toList();
  }

  /** What the device plugin writes once it served the pod's only container. */
  private static void serve(FakeApiServer server, String name) {
    server.mergePatch(
        "v1/pods",
        "job",
        name,
        "{\"metadata\":{\"annotations\":{\""
            + Annotations.DEVICES_TO_ALLOCATE
            + "\":\";\",\""
            + Annotations.BIND_PHASE
            + "\":\"success\"}}}");
  }
}
