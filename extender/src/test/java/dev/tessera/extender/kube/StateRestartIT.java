package dev.tessera.extender.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.testing.FakeApiServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Restart in the middle: pods bound by one extender instance are rebuilt, from annotations alone,
 * by a fresh one; nothing lost, nothing counted twice.
 */
class StateRestartIT {
  private final KubeFixtures.MutableClock clock =
      new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

  private static Map<String, String> placements(ClusterSnapshot s) {
    var out = new TreeMap<String, String>();
    for (var n : s.nodes()) {
      for (var p : n.pods()) {
        out.put(p.key(), n.node().name());
      }
    }
    return out;
  }

  private static Map<String, String> usage(ClusterSnapshot s) {
    var out = new TreeMap<String, String>();
    for (var n : s.nodes()) {
      for (var u : n.usage()) {
        out.put(u.id(), u.used() + "/" + u.usedMemMiB() + "/" + u.usedCores());
      }
    }
    return out;
  }

  @Test
  void aRestartedStateRebuildsEveryBoundPodExactlyOnce() throws Exception {
    int nodes = 20;
    int pods = 120;
    try (FakeApiServer server = FakeApiServer.start()) {
      KubeFixtures.createNodes(server, nodes, 4);
      for (int i = 0; i < pods; i++) {
        server.create("v1/pods", KubeFixtures.pod("ns", "p" + i, Map.of()));
      }
      ClusterSnapshot before;
      int failed = 0;
      try (InformerClusterState first =
          new InformerClusterState(server.client(), clock, Duration.ofMinutes(5))) {
        first.start();
        first.awaitSynced(Duration.ofSeconds(30));
        ApiBinder binder = new ApiBinder(server.client(), first, clock);
        // Every 10th binding is refused by the API server: those must not survive the restart.
        for (int i = 0; i < pods; i += 10) {
          server.failNext("POST", ".*/pods/p" + i + "/binding", 409, "conflict");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        var results = new ArrayList<Future<Boolean>>();
        for (int i = 0; i < pods; i++) {
          int k = i;
          results.add(
              pool.submit(
                  () -> {
                    String node = String.format("node-%03d", k % nodes);
                    String gpu = "GPU-" + node + "-" + (k / nodes) % 4;
                    String uid =
                        server.get("v1/pods", "ns", "p" + k).orElseThrow().path("metadata").path("uid").asText();
                    var devices = List.of(List.of(ContainerDevice.of(gpu, "NVIDIA", 1000 + k, 5)));
                    try {
                      binder.bind("ns", "p" + k, uid, new Placement("ns/p" + k, uid, node, 0, devices));
                      return true;
                    } catch (BindException e) {
                      return false;
                    }
                  }));
        }
        for (var r : results) {
          failed += r.get() ? 0 : 1;
        }
        pool.shutdown();
        KubeFixtures.await(() -> first.pendingAssumptions() == 0);
        before = first.snapshot();
      }
      assertThat(failed).isEqualTo(pods / 10);
      assertThat(before.podCount()).isEqualTo(pods - failed);

      try (InformerClusterState second =
          new InformerClusterState(server.client(), clock, Duration.ofMinutes(5))) {
        second.start();
        second.awaitSynced(Duration.ofSeconds(30));
        ClusterSnapshot after = second.snapshot();
        assertThat(after.podCount()).isEqualTo(pods - failed);
        assertThat(placements(after)).isEqualTo(placements(before));
        assertThat(usage(after)).isEqualTo(usage(before));
        assertThat(second.skipped()).isEmpty();
      }
    }
  }
}
