package dev.tessera.extender.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.Node;
import dev.tessera.extender.ExtenderClient;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.Manifests;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.extender.wire.KubePod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 2,000 pods against 1,000 nodes, scheduled by 8 concurrent clients that each act like
 * kube-scheduler (filter, prioritize, pick a top node with random tie-breaking, bind, retry on a
 * refused bind). Capacity is exactly 2,000 pods (one 16,000 MiB GPU per node, 8,000 MiB per pod),
 * so binds collide constantly. Afterwards the usage recomputed from every annotation written shows
 * no GPU slice given twice and no device over-committed.
 */
class ConcurrencyBurstIT {
  private static final int NODES = 1_000;
  private static final int PODS = 2_000;
  private static final int GPU_MIB = 16_000;
  private static final int SPLIT = 4;

  @Test
  void concurrentFilterAndBindNeverDoubleAllocate() throws Exception {
    var nodes = new ArrayList<Node>();
    var gpus = new HashMap<String, GpuDevice>();
    var gpuNode = new HashMap<String, String>();
    for (int i = 0; i < NODES; i++) {
      var g = GpuDevice.of("GPU-n" + i, 0, "NVIDIA A100", GPU_MIB, 100, SPLIT, 0);
      nodes.add(Node.of("n" + i, List.of(g)));
      gpus.put(g.uuid(), g);
      gpuNode.put(g.uuid(), "n" + i);
    }
    InMemoryCluster cluster = InMemoryCluster.of(nodes, List.of(), List.of());
    var settings =
        new ExtenderServer.Settings(
            ExtenderServer.Transport.NETTY,
            TransportSettings.plain("127.0.0.1", 0, 4),
            "",
            DeviceConfig.chartDefaults(),
            Engine.Options.DEFAULTS,
            Duration.ofMinutes(5),
            Duration.ofMillis(100));
    ExtenderServer server =
        ExtenderServer.start(
            cluster, cluster, new EngineRanking(Engine.Options.DEFAULTS), settings, Fixtures.CLOCK);
    var names = nodes.stream().map(Node::name).toList();
    var queue = new ConcurrentLinkedQueue<Integer>();
    for (int i = 0; i < PODS; i++) {
      queue.add(i);
    }
    var refusedBinds = new AtomicInteger();
    var unplaced = new ConcurrentLinkedQueue<String>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      var futures = new ArrayList<Future<?>>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        futures.add(
            clients.submit(
                () -> {
                  var client = new ExtenderClient(server.port(), "");
                  var random = new Random(seed);
                  for (Integer i = queue.poll(); i != null; i = queue.poll()) {
                    var pod = Manifests.pod("burst", "p" + i, 8_000, 25);
                    boolean bound = false;
                    for (int attempt = 0; attempt < 200 && !bound; attempt++) {
                      var feasible = client.filter(new ExtenderArgs(pod, null, names)).nodeNames();
                      if (feasible == null || feasible.isEmpty()) {
                        break;
                      }
                      var scores = client.prioritize(new ExtenderArgs(pod, null, feasible));
                      long top = scores.stream().mapToLong(HostPriority::score).max().orElse(0);
                      var best = scores.stream().filter(s -> s.score() == top).toList();
                      String node = best.get(random.nextInt(best.size())).host();
                      var r =
                          client.bind(
                              new ExtenderBindingArgs("p" + i, "burst", "uid-burst-p" + i, node));
                      bound = r.ok();
                      if (!bound) {
                        refusedBinds.incrementAndGet();
                      }
                    }
                    if (!bound) {
                      unplaced.add("p" + i);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      clients.shutdownNow();
      server.stop(Duration.ofSeconds(5));
    }

    // Recompute every GPU's usage from the annotations the binder wrote.
    var slots = new HashMap<String, Integer>();
    var mem = new HashMap<String, Integer>();
    var cores = new HashMap<String, Integer>();
    int bound = 0;
    for (KubePod p : cluster.pods()) {
      if (p.nodeName().isEmpty()) {
        assertThat(p.annotations()).doesNotContainKey(Annotations.DEVICES_ALLOCATED);
        continue;
      }
      bound++;
      assertThat(p.annotations()).containsEntry(Annotations.VGPU_NODE, p.nodeName());
      List<List<ContainerDevice>> containers =
          PodDevicesCodec.decode(
              Annotations.DEVICES_ALLOCATED, p.annotations().get(Annotations.DEVICES_ALLOCATED));
      assertThat(p.annotations().get(Annotations.DEVICES_TO_ALLOCATE))
          .isEqualTo(p.annotations().get(Annotations.DEVICES_ALLOCATED));
      for (List<ContainerDevice> c : containers) {
        for (ContainerDevice d : c) {
          assertThat(gpuNode.get(d.uuid())).as("GPU of %s", p.key()).isEqualTo(p.nodeName());
          slots.merge(d.uuid(), 1, Integer::sum);
          mem.merge(d.uuid(), d.usedMemMiB(), Integer::sum);
          cores.merge(d.uuid(), d.usedCores(), Integer::sum);
        }
      }
    }
    var overcommitted = new ArrayList<String>();
    for (Map.Entry<String, Integer> e : slots.entrySet()) {
      GpuDevice g = gpus.get(e.getKey());
      if (e.getValue() > g.splitCount()
          || mem.get(e.getKey()) > g.memoryMiB()
          || cores.get(e.getKey()) > g.cores()) {
        overcommitted.add(e.getKey());
      }
    }
    assertThat(overcommitted).as("over-committed GPUs").isEmpty();
    assertThat(unplaced).as("pods never bound").isEmpty();
    assertThat(bound).isEqualTo(PODS);
    assertThat(cluster.snapshot().podCount()).isEqualTo(PODS);
    // every GPU holds exactly two pods: capacity is exactly used, nothing leaked or doubled
    assertThat(slots.values()).hasSize(NODES).allMatch(n -> n == 2);
    System.out.println("burst: " + refusedBinds.get() + " binds refused and retried");
  }
}
