package dev.tessera.benchmarks;

import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.sim.bench.BenchCluster;
import java.util.ArrayList;
import java.util.List;
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
 * simulator does per pod ({@link ClusterSnapshot#assume} + {@link ClusterSnapshot#forget}), on the
 * seeded {@link BenchCluster} of {@code nodes} nodes with 8 GPUs each, about half of them partly
 * used.
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
    snapshot = BenchCluster.seeded(nodes);
    sharedPod = BenchCluster.sharedPod();
    fourGpuPod = BenchCluster.pod("four-gpu", new GpuRequest(4, GpuRequest.NVIDIA, 40000, 101, 60));
    // one probe pod per node (1 GPU share), cycled so assume/forget touch every node
    probes = new ArrayList<>(nodes);
    for (int n = 0; n < nodes; n++) {
      var dev =
          new ContainerDevice(
              n % BenchCluster.GPUS_PER_NODE,
              BenchCluster.uuid(n, n % BenchCluster.GPUS_PER_NODE),
              GpuRequest.NVIDIA,
              8000,
              30,
              null);
      probes.add(
          new Placement(
              "bench/probe-" + n, "", BenchCluster.nodeName(n), 0, List.of(List.of(dev))));
    }
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
