package dev.tessera.benchmarks;

import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.CombinedPolicy;
import dev.tessera.policies.drl.PolicyDecider;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.drl.PolicyScorer;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.drl.ScoreBreakdown;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.NodeFeatures;
import dev.tessera.policies.facts.ScoringRequest;
import dev.tessera.sim.bench.BenchCluster;
import dev.tessera.sim.bench.PlacementSequence;
import java.util.List;
import java.util.Optional;
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
 * Latency of one node choice by the built-in DRL {@code binpack} policy against the plain-Java
 * oracle ({@link Engine#decide}, chart defaults: binpack nodes), both for the same 1-GPU share pod
 * on the seeded {@link BenchCluster} of {@code nodes} nodes × 8 GPUs, about half partly used.
 *
 * <p>The DRL path is split so the report can tell feature extraction (engine fit and scores per
 * node) from rule evaluation (Drools session insert, fire, collect). The policy is compiled once in
 * setup: compilation is a start-up cost, not a per-decision one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyDecideBenchmark {
  @Param({"100", "1000"})
  public int nodes;

  private final Engine engine = new Engine(Engine.Options.DEFAULTS);
  private ClusterSnapshot snapshot;
  private PodRequest pod;
  private PolicyScorer binpack;
  private ScoringRequest request;
  private List<NodeFeatures> features;
  private PolicyDecider decider;
  private PolicyDecider freshDecider;

  /** A {@link PlacementSequence} placed by the oracle: one node changes per step. */
  private PodRequest[] sequencePods;

  private ClusterSnapshot[] sequenceSnapshots;
  private int step;

  @Setup(Level.Trial)
  public void setUp() {
    snapshot = BenchCluster.seeded(nodes);
    pod = BenchCluster.sharedPod();
    binpack = new PolicyRegistry().builtIn(PolicyRegistry.BINPACK).scorer();
    request = ScoringRequest.of(pod);
    features = FeatureExtractor.forSnapshot(pod, snapshot, Engine.Options.DEFAULTS);
    decider =
        new PolicyDecider(
            CombinedPolicy.single(new PolicyRegistry().builtIn(PolicyRegistry.BINPACK), ""),
            Engine.Options.DEFAULTS);
    // Both paths must pick the same node, or the comparison is between different answers.
    String drl = drlBinpackDecide().orElseThrow().node();
    String oracle = ((Decision.Placed) engine.decide(pod, snapshot)).node();
    if (!drl.equals(oracle)) {
      throw new IllegalStateException("DRL binpack chose " + drl + ", Engine.decide " + oracle);
    }
    freshDecider =
        new PolicyDecider(
            CombinedPolicy.single(new PolicyRegistry().builtIn(PolicyRegistry.BINPACK), ""),
            Engine.Options.DEFAULTS,
            Optional.empty(),
            false);
    buildSequence();
    String decided = decider.decide(pod, snapshot).chosen().orElseThrow();
    if (!decided.equals(oracle)) {
      throw new IllegalStateException("PolicyDecider chose " + decided + ", oracle " + oracle);
    }
  }

  private Optional<ScoreBreakdown> drlBinpackDecide() {
    List<NodeFeatures> f = FeatureExtractor.forSnapshot(pod, snapshot, Engine.Options.DEFAULTS);
    return binpack.score(ScoringRequest.of(pod), f).best();
  }

  /** The plain-Java oracle: {@code Engine.decide} with binpack nodes, spread GPUs. */
  @Benchmark
  public Decision measureOracleDecide() {
    return engine.decide(pod, snapshot);
  }

  /** The whole DRL path: features for every node, the request fact, rules, best node. */
  @Benchmark
  public Optional<ScoreBreakdown> measureDrlBinpackDecide() {
    return drlBinpackDecide();
  }

  /**
   * The decision API: {@code PolicyDecider.decide} with the built-in binpack, one fit per node
   * feeding both the facts and the devices, and a per-node explanation (rules, totals, vetoes).
   */
  @Benchmark
  public PolicyDecision measureDeciderBinpack() {
    return decider.decide(pod, snapshot);
  }

  private void buildSequence() {
    PlacementSequence seq =
        PlacementSequence.of(
            snapshot,
            (p, s) ->
                engine.decide(p, s) instanceof Decision.Placed placed
                    ? Optional.of(new PlacementSequence.Choice(placed.node(), placed.containers()))
                    : Optional.empty());
    sequencePods = seq.pods().toArray(PodRequest[]::new);
    sequenceSnapshots = seq.snapshots().toArray(ClusterSnapshot[]::new);
  }

  private int next() {
    int i = step;
    step = (step + 1) % sequencePods.length;
    return i;
  }

  /** The oracle over the scheduling sequence (a new pod and one changed node per call). */
  @Benchmark
  public Decision measureOracleSequence() {
    int i = next();
    return engine.decide(sequencePods[i], sequenceSnapshots[i]);
  }

  /** {@code PolicyDecider} with incremental warm sessions over the scheduling sequence. */
  @Benchmark
  public PolicyDecision measureDeciderSequence() {
    int i = next();
    return decider.decide(sequencePods[i], sequenceSnapshots[i]);
  }

  /** {@code PolicyDecider} scoring every node afresh over the scheduling sequence. */
  @Benchmark
  public PolicyDecision measureDeciderFreshSequence() {
    int i = next();
    return freshDecider.decide(sequencePods[i], sequenceSnapshots[i]);
  }

  /** Rule evaluation alone, on features computed once in setup. */
  @Benchmark
  public Ranking measureDrlScoreOnly() {
    return binpack.score(request, features);
  }
}
// Run: mvn -B -o -Pquickly -pl benchmarks -am package -DskipTests &&
//      java -jar benchmarks/target/benchmarks.jar PolicyDecideBenchmark
