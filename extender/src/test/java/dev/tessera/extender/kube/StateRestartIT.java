package dev.tessera.extender.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Concurrent binds through the extender onto the fake API server, then a restart: a fresh state
 * rebuilt from annotations alone has every bound pod exactly once, the refused ones not at all, and
 * no device is over-committed.
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

  private static void assertNotOverCommitted(ClusterSnapshot s) {
    for (var n : s.nodes()) {
      for (var u : n.usage()) {
        assertThat(u.usedMemMiB()).as(u.id()).isLessThanOrEqualTo(u.device().memoryMiB());
        assertThat(u.usedCores()).as(u.id()).isLessThanOrEqualTo(u.device().cores());
        assertThat(u.used()).as(u.id()).isLessThanOrEqualTo(u.device().splitCount());
      }
    }
  }

  @Test
  void aRestartedStateRebuildsEveryBoundPodExactlyOnce() throws Exception {
    int nodes = 20;
    int pods = 150;
    try (FakeApiServer server = FakeApiServer.start()) {
      KubeFixtures.createNodes(server, nodes, 2);
      for (int i = 0; i < pods; i++) {
        server.create("v1/pods", KubeFixtures.gpuPod("ns", "p" + i, 3000, 20));
      }
      ClusterSnapshot before;
      int bound = 0;
      try (InformerClusterState first = KubeFixtures.startedState(server, clock)) {
        var reservations = new Reservations(first, clock, Duration.ofMinutes(5));
        Extender extender =
            KubeFixtures.extender(first, new ApiBinder(server.client()), reservations, clock);
        // Every 10th Binding is refused by the API server: those must not survive the restart.
        for (int i = 0; i < pods; i += 10) {
          server.failNext("POST", ".*/pods/p" + i + "/binding", 409, "conflict");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        var results = new ArrayList<Future<Boolean>>();
        for (int i = 0; i < pods; i++) {
          int k = i;
          // Few nodes for many pods, so concurrent binds race for the same GPUs.
          String node = String.format("node-%03d", k % 5);
          results.add(
              pool.submit(
                  () -> {
                    String uid =
                        server
                            .get("v1/pods", "ns", "p" + k)
                            .orElseThrow()
                            .path("metadata")
                            .path("uid")
                            .asText();
                    return extender.bind(new ExtenderBindingArgs("p" + k, "ns", uid, node)).ok();
                  }));
        }
        var unbound = new ArrayList<Integer>();
        for (int i = 0; i < pods; i++) {
          if (results.get(i).get()) {
            bound++;
          } else {
            unbound.add(i);
          }
        }
        pool.shutdown();
        // kube-scheduler retries unbound pods. A refused pod's allocation can be counted again for
        // a moment (its informer event arrives after the release), which may refuse a concurrent
        // bind: safe, and the retry places it.
        int first1 = bound;
        KubeFixtures.await(() -> first.observedPods() == first1);
        for (int k : unbound) {
          String uid =
              server
                  .get("v1/pods", "ns", "p" + k)
                  .orElseThrow()
                  .path("metadata")
                  .path("uid")
                  .asText();
          String node = String.format("node-%03d", k % 5);
          if (extender.bind(new ExtenderBindingArgs("p" + k, "ns", uid, node)).ok()) {
            bound++;
          }
        }
        int expected = bound;
        KubeFixtures.await(() -> first.observedPods() == expected);
        before = first.snapshot();
        assertNotOverCommitted(before);
      }
      // 5 nodes x 2 GPUs x 5 pods (by memory and cores) = 50 fit.
      assertThat(bound).isEqualTo(50);
      assertThat(before.podCount()).isEqualTo(bound);

      try (InformerClusterState second = KubeFixtures.startedState(server, clock)) {
        ClusterSnapshot after = second.snapshot();
        assertThat(after.podCount()).isEqualTo(bound);
        assertThat(placements(after)).isEqualTo(placements(before));
        assertThat(usage(after)).isEqualTo(usage(before));
        assertThat(second.skipped()).isEmpty();
        assertNotOverCommitted(after);
      }
    }
  }
}
