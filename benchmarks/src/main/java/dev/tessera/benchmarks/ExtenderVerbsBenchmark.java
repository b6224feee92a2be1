package dev.tessera.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.decision.Engine;
import dev.tessera.extender.core.DrlRanking;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.core.NodeRanking;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.extender.wire.WireJson;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.sim.bench.BenchCluster;
import dev.tessera.sim.bench.BenchExtender;
import dev.tessera.sim.bench.BenchPods;
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
 * One scheduling cycle's extender work in-process, without HTTP: {@code filter} over every node of
 * the seeded {@link BenchCluster} (1,000 nodes × 8 GPUs, about half partly used) followed by {@code
 * prioritize} over the nodes filter kept, for a 1-GPU share pod (8,000 MiB, 30 % cores) that fits
 * almost everywhere — the worst case, since every feasible node is scored.
 *
 * <ul>
 *   <li>{@code measureFilterPrioritize}: HAMi's node policy (the default {@code --policy hami}),
 *       the same pod every cycle: what a job's replicas cost once the extender's equivalence cache
 *       knows their shape (only the node prioritize holds the pod on changes between cycles).
 *   <li>{@code measureFilterPrioritizeNewShape}: the same with a pod shape not seen in the last
 *       {@value #SHAPES} cycles every time (16 MiB steps above 8,000 MiB; far more shapes than the
 *       cache keeps), so every node is evaluated: the cost of a stream of all-different pods.
 *   <li>{@code measureFilterPrioritizeDrl}: the built-in DRL {@code binpack} policy.
 *   <li>{@code measureFilterPrioritizeWire}: the default path plus reading the request JSON and
 *       writing the answers, i.e. everything an HTTP request costs except the network.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExtenderVerbsBenchmark {
  @Param({"1000"})
  public int nodes;

  /** Distinct pod shapes cycled by {@code measureFilterPrioritizeNewShape}. */
  static final int SHAPES = 256;

  private Extender hami;
  private Extender drl;
  private ExtenderArgs args;
  private ExtenderArgs[] shaped;
  private int next;
  private byte[] argsJson;
  private final WireJson wire = new WireJson();

  @Setup(Level.Trial)
  public void setUp() {
    var options = Engine.Options.DEFAULTS;
    hami = extender(new EngineRanking(options));
    drl =
        extender(
            new DrlRanking(
                new PolicyRegistry().fromArguments(List.of(PolicyRegistry.BINPACK)), options));
    List<String> names =
        hami.state().snapshot().nodes().stream().map(s -> s.node().name()).toList();
    JsonNode pod = BenchPods.pod("shared", 8000, 30);
    args = new ExtenderArgs(pod, null, names);
    argsJson = wire.write(args);
    shaped = new ExtenderArgs[SHAPES];
    for (int i = 0; i < SHAPES; i++) {
      shaped[i] = new ExtenderArgs(BenchPods.pod("shape-" + i, 8000 + 16 * i, 30), null, names);
    }
    if (hami.filter(args).nodeNames().size() < nodes / 2) {
      throw new IllegalStateException("the benchmark pod should fit on most nodes");
    }
  }

  private Extender extender(NodeRanking ranking) {
    return BenchExtender.serving(BenchCluster.seeded(nodes), ranking);
  }

  private static List<HostPriority> cycle(Extender e, ExtenderArgs args) {
    return BenchExtender.cycle(e, args);
  }

  @Benchmark
  public List<HostPriority> measureFilterPrioritize() {
    return cycle(hami, args);
  }

  @Benchmark
  public List<HostPriority> measureFilterPrioritizeNewShape() {
    next = (next + 1) % SHAPES;
    return cycle(hami, shaped[next]);
  }

  @Benchmark
  public List<HostPriority> measureFilterPrioritizeDrl() {
    return cycle(drl, args);
  }

  @Benchmark
  public byte[] measureFilterPrioritizeWire() {
    ExtenderArgs in = wire.read(argsJson, ExtenderArgs.class);
    ExtenderFilterResult f = hami.filter(in);
    byte[] filterOut = wire.write(f);
    byte[] prioritizeIn = wire.write(new ExtenderArgs(in.pod(), null, f.nodeNames()));
    List<HostPriority> p = hami.prioritize(wire.read(prioritizeIn, ExtenderArgs.class));
    return filterOut.length > 0 ? wire.write(p) : prioritizeIn;
  }
}

// Run: mvn -B -o -Pquickly -pl benchmarks -am package -DskipTests
//      java -jar benchmarks/target/benchmarks.jar ExtenderVerbsBenchmark
