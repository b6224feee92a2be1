package dev.tessera.policies;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of small clusters (1..8 nodes, 1..8 GPUs each, mixed models, partly used) and
 * pods, for property tests. Identical nodes are generated on purpose so ties happen.
 */
final class RandomClusters {
  static final String A100 = "NVIDIA-NVIDIA A100-SXM4-80GB";
  static final String V100 = "NVIDIA-Tesla V100-SXM2-32GB";
  static final String T4 = "NVIDIA-Tesla T4";

  private static final String[] MODELS = {A100, V100, T4};
  private static final int[] MEMORY = {81_920, 32_768, 15_360};

  private final Random rnd;

  RandomClusters(long seed) {
    rnd = new Random(seed);
  }

  /** A cluster and its running pods. */
  ClusterSnapshot snapshot() {
    int nodeCount = 1 + rnd.nextInt(8);
    var nodes = new ArrayList<Node>();
    var placements = new ArrayList<Placement>();
    boolean clone = rnd.nextInt(4) == 0; // every node alike: ties decided by order only
    int cloneModel = rnd.nextInt(MODELS.length);
    int cloneGpus = 1 + rnd.nextInt(8);
    for (int n = 0; n < nodeCount; n++) {
      String name = "node-" + n;
      int model = clone ? cloneModel : rnd.nextInt(MODELS.length);
      int gpus = clone ? cloneGpus : 1 + rnd.nextInt(8);
      var devices = new ArrayList<GpuDevice>();
      for (int g = 0; g < gpus; g++) {
        devices.add(GpuDevice.of(name + "-gpu-" + g, g, MODELS[model], MEMORY[model], 100, 10, 0));
      }
      nodes.add(
          new Node(
              name,
              Map.of("gpu.model", MODELS[model]),
              64_000,
              256_000,
              devices,
              PairScores.NONE,
              Set.of()));
      if (clone && rnd.nextBoolean()) {
        continue; // keep clones idle half the time, so their scores tie exactly
      }
      int pods = rnd.nextInt(6);
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
        placements.add(
            new Placement(
                "default/run-" + n + "-" + p,
                "uid-" + n + "-" + p,
                name,
                0,
                List.of(
                    List.of(ContainerDevice.of(name + "-gpu-" + g, MODELS[model], mem, cores)))));
      }
    }
    return ClusterSnapshot.of(nodes, placements);
  }

  /** A pod with one or two containers asking for 1..3 GPUs each. */
  PodRequest pod(int i) {
    int containers = 1 + rnd.nextInt(2);
    var names = new ArrayList<String>();
    var reqs = new ArrayList<GpuRequest>();
    for (int c = 0; c < containers; c++) {
      names.add("c" + c);
      int count = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0);
      boolean percent = rnd.nextInt(5) == 0;
      int mem = percent ? 0 : 1_024 * (1 + rnd.nextInt(48));
      int pct = percent ? 10 * (1 + rnd.nextInt(10)) : GpuRequest.PERCENT_UNSET;
      reqs.add(new GpuRequest(count, GpuRequest.NVIDIA, mem, pct, 10 * rnd.nextInt(8)));
    }
    return new PodRequest("default", "pod-" + i, "uid-" + i, Map.of(), names, 0, reqs);
  }
}
