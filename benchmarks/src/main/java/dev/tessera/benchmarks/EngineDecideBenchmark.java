package dev.tessera.benchmarks;

import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one scheduling decision ({@link Engine#decide}) and of the snapshot bookkeeping a
 * simulator does per pod ({@link ClusterSnapshot#assume} + {@link ClusterSnapshot#forget}), on a
 * seeded cluster of {@code nodes} nodes with 8 GPUs each, about half of them partly used.
 *
 * <p>SampleTime mode so JMH reports percentiles (p50, p99) besides the mean: the scheduler's budget
 * is a p99, not an average. Iterations are kept short because the build machine has 2 shared cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineDecideBenchmark {
  static final int GPUS_PER_NODE = 8;
  static final int GPU_MEMORY_MIB = 81920;
  static final long SEED = 20261123L;

  @Param({"100", "1000"})
  public int nodes;

  private final Engine engine = new Engine(Engine.Options.DEFAULTS);
  private ClusterSnapshot snapshot;
  private PodRequest sharedPod;
  private PodRequest fourGpuPod;
  private List<Placement> probes;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    snapshot = cluster(nodes, new Random(SEED));
    sharedPod = pod("shared", new GpuRequest(1, GpuRequest.NVIDIA, 8000, 101, 30));
    fourGpuPod = pod("four-gpu", new GpuRequest(4, GpuRequest.NVIDIA, 40000, 101, 60));
    // one probe pod per node (1 GPU share), cycled so assume/forget touch every node
    probes = new ArrayList<>(nodes);
    for (int n = 0; n < nodes; n++) {
      var dev =
          new ContainerDevice(
              n % GPUS_PER_NODE, uuid(n, n % GPUS_PER_NODE), GpuRequest.NVIDIA, 8000, 30, null);
      probes.add(new Placement("bench/probe-" + n, "", nodeName(n), 0, List.of(List.of(dev))));
    }
  }

  /** A seeded cluster: every GPU registered, about half carry one pod's share. */
  static ClusterSnapshot cluster(int nodeCount, Random rnd) {
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

  static String nodeName(int n) {
    return "node-" + n;
  }

  static String uuid(int node, int gpu) {
    return String.format("GPU-%08d-%04d", node, gpu);
  }

  static PodRequest pod(String name, GpuRequest request) {
    return new PodRequest("bench", name, name, Map.of(), List.of("main"), 0, List.of(request));
  }

  /** One 1-GPU share (8000 MiB, 30 % cores): fits almost everywhere. */
  @Benchmark
  public Decision measureDecideSharedPod() {
    return engine.decide(sharedPod, snapshot);
  }

  /** Four GPUs of 40000 MiB and 60 % cores each: many nodes reject with a reason string. */
  @Benchmark
  public Decision measureDecideFourGpuPod() {
    return engine.decide(fourGpuPod, snapshot);
  }

  /** Book a pod on one node and take it off again (the simulator's per-pod bookkeeping). */
  @Benchmark
  public ClusterSnapshot measureAssumeForget() {
    Placement p = probes.get(next);
    next = next + 1 == probes.size() ? 0 : next + 1;
    return snapshot.assume(p).forget(p.podKey());
  }
}
// Run: mvn -B -o -Pquickly -pl benchmarks -am package -DskipTests &&
//      java -jar benchmarks/target/benchmarks.jar EngineDecideBenchmark
// (add e.g. -p nodes=1000 -wi 3 -i 5 -f 1 to override; -prof gc shows allocation per decision)
