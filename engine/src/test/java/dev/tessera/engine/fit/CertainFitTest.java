package dev.tessera.engine.fit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.model.PodRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeEvaluator#certainScore} answers filters without choosing devices, so it must never say
 * "fits" where the full evaluation rejects, and its score must be the one the placement carries.
 * Checked over 20,000 seeded random nodes (mixed types, unhealthy and cordoned cards, partly used
 * slots, memory and cores) and pods (counts, MiB and percent memory, cores up to 120, type and UUID
 * selectors, vGPU mode, every GPU policy, NUMA binding, init and multi-container pods).
 */
class CertainFitTest {
  private static final String[] TYPES = {
    "NVIDIA A100-SXM4-80GB", "NVIDIA Tesla T4", "NVIDIA H100", "AMD MI100"
  };
  private static final String[] POLICIES = {
    "", "binpack", "spread", "mutex", "topology-aware", "numa", "binpack,numa"
  };

  @Test
  void certainFitsArePlacedWithTheSameScore() {
    var random = new Random(20261123);
    int certain = 0;
    int placed = 0;
    for (int i = 0; i < 20_000; i++) {
      Node node = node(random, i);
      List<DeviceUsage> usage = usage(random, node);
      PodRequest pod = pod(random, node);
      PodPlan plan = PodPlan.of(pod, "spread", null);

      Float score = NodeEvaluator.certainScore(plan, node, usage);
      NodeEvaluator.Outcome full = NodeEvaluator.evaluate(plan, node, usage);

      if (full instanceof NodeEvaluator.Placed p) {
        placed++;
        if (score != null) {
          certain++;
          assertThat(score).as("case %d", i).isEqualTo(p.score());
        }
      } else {
        assertThat(score)
            .as(
                "case %d: certainScore says it fits, evaluate rejects: %s, pod %s, usage %s",
                i, full, pod.requests(), usage)
            .isNull();
      }
    }
    // the shortcut must actually carry the common case, or it is not worth having
    assertThat(placed).isGreaterThan(2_000);
    assertThat(certain).isGreaterThan(placed / 3);
  }

  private static Node node(Random random, int i) {
    int n = 1 + random.nextInt(8);
    var devices = new ArrayList<GpuDevice>();
    Set<String> cordoned = new HashSet<>();
    for (int g = 0; g < n; g++) {
      String uuid = "GPU-" + i + "-" + g;
      devices.add(
          new GpuDevice(
              uuid,
              g,
              TYPES[random.nextInt(TYPES.length)],
              8_192 * (1 + random.nextInt(10)),
              random.nextInt(10) == 0 ? 50 : 100,
              1 + random.nextInt(10),
              g % 2,
              random.nextInt(12) != 0,
              GpuDevice.MODE_HAMI_CORE,
              List.of()));
      if (random.nextInt(15) == 0) {
        cordoned.add(uuid);
      }
    }
    return new Node("n" + i, Map.of(), 0, 0, devices, PairScores.NONE, cordoned);
  }

  private static List<DeviceUsage> usage(Random random, Node node) {
    var out = new ArrayList<DeviceUsage>();
    for (GpuDevice d : node.devices()) {
      DeviceUsage u = DeviceUsage.idle(d);
      if (random.nextBoolean()) {
        int slots = 1 + random.nextInt(d.splitCount());
        u = u.plus(slots, random.nextInt(d.memoryMiB() + 1), random.nextInt(d.cores() + 1));
      }
      out.add(u);
    }
    return out;
  }

  private static PodRequest pod(Random random, Node node) {
    var annotations = new HashMap<String, String>();
    if (random.nextInt(6) == 0) {
      annotations.put(Annotations.USE_GPU_TYPE, random.nextBoolean() ? "A100" : "T4,H100");
    }
    if (random.nextInt(8) == 0) {
      annotations.put(Annotations.NOUSE_GPU_TYPE, "T4");
    }
    if (random.nextInt(8) == 0 && !node.devices().isEmpty()) {
      annotations.put(Annotations.USE_GPU_UUID, node.devices().get(0).uuid());
    }
    if (random.nextInt(8) == 0 && !node.devices().isEmpty()) {
      annotations.put(Annotations.NOUSE_GPU_UUID, node.devices().get(0).uuid());
    }
    if (random.nextInt(10) == 0) {
      annotations.put(Annotations.VGPU_MODE, random.nextBoolean() ? "mig" : "hami-core");
    }
    if (random.nextInt(4) == 0) {
      annotations.put(Annotations.GPU_SCHEDULER_POLICY, POLICIES[random.nextInt(POLICIES.length)]);
    }
    if (random.nextInt(8) == 0) {
      annotations.put(Annotations.NUMA_BIND, "true");
    }
    var requests = new ArrayList<GpuRequest>();
    var names = new ArrayList<String>();
    int init = random.nextInt(6) == 0 ? 1 : 0;
    int containers = init + (random.nextInt(5) == 0 ? 2 : 1);
    for (int c = 0; c < containers; c++) {
      requests.add(random.nextInt(8) == 0 ? GpuRequest.NONE : request(random));
      names.add("c" + c);
    }
    return new PodRequest("ns", "p", "uid", annotations, names, init, requests);
  }

  private static GpuRequest request(Random random) {
    int count = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3);
    int cores = random.nextInt(5) == 0 ? 100 + random.nextInt(21) : random.nextInt(101);
    if (random.nextInt(4) == 0) {
      return new GpuRequest(count, GpuRequest.NVIDIA, 0, random.nextInt(101), cores);
    }
    return new GpuRequest(
        count,
        GpuRequest.NVIDIA,
        random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(40_000),
        GpuRequest.PERCENT_UNSET,
        cores);
  }
}
