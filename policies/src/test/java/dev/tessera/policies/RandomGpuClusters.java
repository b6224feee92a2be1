package dev.tessera.policies;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator for the GPU-level policies: clusters of 1..8 nodes with 1..8 GPUs on one or two
 * NUMA nodes, NVLink/PCIe pair scores on most nodes, running pods of three tenants (namespaces),
 * and pods asking 1..4 GPUs, some with {@code hami.io/device-scoring-weights} or numa-bind. Some
 * GPUs are typed exactly {@code NVIDIA}, so the request term of the device score is active (it is 0
 * for real model strings, hami-compat §7.3). Identical nodes occur so ties happen.
 */
final class RandomGpuClusters {
  static final String[] TENANTS = {"team-a", "team-b", "team-c"};
  private static final String[] MODELS = {
    "NVIDIA-NVIDIA A100-SXM4-80GB", "NVIDIA", "NVIDIA-Tesla T4"
  };
  private static final int[] MEMORY = {81_920, 32_768, 15_360};
  private static final String[] WEIGHTS = {
    "slot=1,core=1,memory=1",
    "slot=0,core=0,memory=5",
    "slot=3,core=1,memory=0",
    "slot=2,core=7,memory=1"
  };

  private final Random rnd;

  RandomGpuClusters(long seed) {
    rnd = new Random(seed);
  }

  ClusterSnapshot snapshot() {
    int nodeCount = 1 + rnd.nextInt(8);
    var nodes = new ArrayList<Node>();
    var placements = new ArrayList<Placement>();
    boolean clone = rnd.nextInt(4) == 0;
    int cloneModel = rnd.nextInt(MODELS.length);
    int cloneGpus = 1 + rnd.nextInt(8);
    long cloneSeed = rnd.nextLong();
    for (int n = 0; n < nodeCount; n++) {
      String name = "node-" + n;
      int model = clone ? cloneModel : rnd.nextInt(MODELS.length);
      int gpus = clone ? cloneGpus : 1 + rnd.nextInt(8);
      // clones share one link layout, so their pair scores tie too
      Random links = clone ? new Random(cloneSeed) : rnd;
      boolean twoNuma = links.nextBoolean();
      var devices = new ArrayList<GpuDevice>();
      for (int g = 0; g < gpus; g++) {
        int numa = twoNuma && g >= gpus / 2 ? 1 : 0;
        devices.add(GpuDevice.of(uuid(name, g), g, MODELS[model], MEMORY[model], 100, 10, numa));
      }
      PairScores pairs = links.nextInt(5) == 0 ? PairScores.NONE : pairScores(name, gpus, links);
      nodes.add(new Node(name, Map.of(), 64_000, 256_000, devices, pairs, Set.of()));
      if (clone && rnd.nextBoolean()) {
        continue;
      }
      int pods = rnd.nextInt(7);
      int[] freeMem = new int[gpus];
      int[] freeCores = new int[gpus];
      java.util.Arrays.fill(freeMem, MEMORY[model]);
      java.util.Arrays.fill(freeCores, 100);
      for (int p = 0; p < pods; p++) {
        int g = rnd.nextInt(gpus);
        int mem = Math.min(freeMem[g], 1_024 * (1 + rnd.nextInt(20)));
        int cores = Math.min(freeCores[g], 10 * rnd.nextInt(6));
        if (mem <= 0) {
          continue;
        }
        freeMem[g] -= mem;
        freeCores[g] -= cores;
        String tenant = TENANTS[rnd.nextInt(TENANTS.length)];
        placements.add(
            new Placement(
                tenant + "/run-" + n + "-" + p,
                "uid-" + n + "-" + p,
                name,
                0,
                List.of(List.of(ContainerDevice.of(uuid(name, g), MODELS[model], mem, cores)))));
      }
    }
    return ClusterSnapshot.of(nodes, placements);
  }

  private static String uuid(String node, int g) {
    return node + "-gpu-" + g;
  }

  /** NVLink pairs (100 or 200) among neighbours, PCIe (10..60) elsewhere, some pairs unknown. */
  private static PairScores pairScores(String node, int gpus, Random r) {
    Map<String, Map<String, Integer>> rows = new HashMap<>();
    for (int i = 0; i < gpus; i++) {
      var row = new HashMap<String, Integer>();
      for (int j = 0; j < gpus; j++) {
        if (i == j || r.nextInt(6) == 0) {
          continue;
        }
        int score =
            Math.abs(i - j) == 1 && r.nextBoolean()
                ? 100 * (1 + r.nextInt(2))
                : 10 * (1 + r.nextInt(6));
        row.put(uuid(node, j), score);
      }
      rows.put(uuid(node, i), row);
    }
    return new PairScores(rows);
  }

  /** A pod of a random tenant with one or two containers asking 1..4 GPUs each. */
  PodRequest pod(int i) {
    int containers = 1 + (rnd.nextInt(3) == 0 ? 1 : 0);
    var names = new ArrayList<String>();
    var reqs = new ArrayList<GpuRequest>();
    for (int c = 0; c < containers; c++) {
      names.add("c" + c);
      int count = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(4) : 0);
      boolean percent = rnd.nextInt(5) == 0;
      int mem = percent ? 0 : 1_024 * (1 + rnd.nextInt(24));
      int pct = percent ? 10 * (1 + rnd.nextInt(10)) : GpuRequest.PERCENT_UNSET;
      reqs.add(new GpuRequest(count, GpuRequest.NVIDIA, mem, pct, 10 * rnd.nextInt(8)));
    }
    var annotations = new HashMap<String, String>();
    if (rnd.nextInt(3) == 0) {
      annotations.put(Annotations.DEVICE_SCORING_WEIGHTS, WEIGHTS[rnd.nextInt(WEIGHTS.length)]);
    }
    if (rnd.nextInt(10) == 0) {
      annotations.put(Annotations.NUMA_BIND, "true");
    }
    String tenant = TENANTS[rnd.nextInt(TENANTS.length)];
    return new PodRequest(tenant, "pod-" + i, "uid-" + i, annotations, names, 0, reqs);
  }
}
