package dev.tessera.sim.bench;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The seeded cluster every decision benchmark runs on ({@code tessera bench} and the JMH benchmarks
 * in {@code benchmarks/}), shared so that engine and policy figures describe the same nodes: {@code
 * nodes} nodes × 8 A100-80GB GPUs, each GPU with a 50 % chance of one running pod's share.
 */
public final class BenchCluster {
  public static final int GPUS_PER_NODE = 8;
  public static final int GPU_MEMORY_MIB = 81920;
  public static final long SEED = 20261123L;

  private BenchCluster() {}

  /** The cluster for {@link #SEED}: identical across benchmarks and runs. */
  public static ClusterSnapshot seeded(int nodeCount) {
    return seeded(nodeCount, SEED);
  }

  /** The cluster for {@code seed}: the same nodes and running pods for the same arguments. */
  public static ClusterSnapshot seeded(int nodeCount, long seed) {
    return cluster(nodeCount, new Random(seed));
  }

  /** A seeded cluster: every GPU registered, about half carry one pod's share. */
  public static ClusterSnapshot cluster(int nodeCount, Random rnd) {
    var nodeList = new ArrayList<Node>(nodeCount);
    var running = new ArrayList<Placement>();
    for (int n = 0; n < nodeCount; n++) {
      var gpus = new ArrayList<GpuDevice>(GPUS_PER_NODE);
      for (int g = 0; g < GPUS_PER_NODE; g++) {
        gpus.add(
            GpuDevice.of(
                uuid(n, g), g, "NVIDIA A100-SXM4-80GB", GPU_MEMORY_MIB, 100, 10, g < 4 ? 0 : 1));
        if (rnd.nextBoolean()) {
          int mem = 4000 + rnd.nextInt(60000);
          int cores = 10 * (1 + rnd.nextInt(9));
          var dev = new ContainerDevice(g, uuid(n, g), GpuRequest.NVIDIA, mem, cores, null);
          running.add(
              new Placement(
                  "default/run-" + n + "-" + g, "", nodeName(n), 0, List.of(List.of(dev))));
        }
      }
      nodeList.add(Node.of(nodeName(n), gpus));
    }
    return ClusterSnapshot.of(nodeList, running);
  }

  public static String nodeName(int n) {
    return "node-" + n;
  }

  public static String uuid(int node, int gpu) {
    return String.format("GPU-%08d-%04d", node, gpu);
  }

  /** A pod in namespace {@code bench} with one container asking {@code request}. */
  public static PodRequest pod(String name, GpuRequest request) {
    return new PodRequest("bench", name, name, Map.of(), List.of("main"), 0, List.of(request));
  }

  /** One 1-GPU share (8000 MiB, 30 % cores): fits almost everywhere. */
  public static PodRequest sharedPod() {
    return pod("shared", new GpuRequest(1, GpuRequest.NVIDIA, 8000, 101, 30));
  }
}
