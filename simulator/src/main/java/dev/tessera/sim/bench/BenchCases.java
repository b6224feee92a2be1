package dev.tessera.sim.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.policies.drl.CombinedPolicy;
import dev.tessera.policies.drl.PolicyDecider;
import dev.tessera.policies.drl.PolicyRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Builds the cases of {@code tessera bench} on one seeded cluster: per policy its oracle and its
 * DRL path, each for one pending pod and along a {@link PlacementSequence}; and the extender's
 * filter+prioritize for HAMi's ranking.
 *
 * <p>Oracles per policy, as the policies module's agreement tests define them: {@code binpack} and
 * {@code spread} are {@link Engine#decide} with that node policy (GPU policy spread), decided on
 * the DRL side by {@link PolicyDecider} with warm incremental sessions as the extender's DRL
 * ranking uses it; the FGD family ({@link FgdPaths#POLICIES}) is {@code engine.features}. The GPU
 * level policies ({@code gpu-binpack}, {@code gpu-spread}, {@code topology}) and {@code
 * gpu-clustering} have their oracles only in test code so far, and {@code random} has none.
 */
public final class BenchCases {
  /** Policies {@code tessera bench} can time against an oracle, in table order. */
  public static final List<String> POLICIES =
      List.of(
          PolicyRegistry.BINPACK,
          PolicyRegistry.SPREAD,
          PolicyRegistry.FGD,
          PolicyRegistry.BESTFIT,
          PolicyRegistry.DOTPROD,
          PolicyRegistry.GPU_PACKING);

  /** The extender's ranking timed, and its policy column. */
  public static final String EXTENDER_POLICY = EngineRanking.NAME;

  /** Distinct pod shapes the extender's uncached case cycles through (more than it caches). */
  static final int SHAPES = 256;

  private final ClusterSnapshot start;
  private final PodRequest pod;
  private final PolicyRegistry registry = new PolicyRegistry();

  /** Cases on {@link BenchCluster#seeded(int, long)} with {@link BenchCluster#sharedPod()}. */
  public BenchCases(int nodes, long seed) {
    this.start = BenchCluster.seeded(nodes, seed);
    this.pod = BenchCluster.sharedPod();
  }

  /** The oracle and DRL cases of {@code policy}, one of {@link #POLICIES}. */
  public List<BenchCase> policy(String policy) {
    if (policy.equals(PolicyRegistry.BINPACK) || policy.equals(PolicyRegistry.SPREAD)) {
      var options = new Engine.Options(policy, "spread");
      var engine = new Engine(options);
      var decider =
          new PolicyDecider(
              CombinedPolicy.single(registry.builtIn(policy), registry.gpuPolicyOf(policy)),
              options);
      return cases(
          policy,
          (p, s) ->
              engine.decide(p, s) instanceof Decision.Placed placed
                  ? Optional.of(new PlacementSequence.Choice(placed.node(), placed.containers()))
                  : Optional.empty(),
          (p, s) -> decider.decide(p, s).chosen());
    }
    if (FgdPaths.POLICIES.contains(policy)) {
      var paths = new FgdPaths(policy, registry);
      return cases(policy, paths::oracle, paths::drl);
    }
    throw new IllegalArgumentException("no oracle for policy " + policy);
  }

  private List<BenchCase> cases(
      String policy,
      PlacementSequence.Oracle oracle,
      BiFunction<PodRequest, ClusterSnapshot, Optional<String>> drl) {
    List<Optional<String>> one =
        List.of(oracle.place(pod, start).map(PlacementSequence.Choice::node));
    PlacementSequence seq = PlacementSequence.of(start, oracle);
    String oneOracle = policy + " oracle one-pod";
    String seqOracle = policy + " oracle sequence";
    return List.of(
        new BenchCase(
            policy,
            "oracle",
            "one-pod",
            1,
            step -> oracle.place(pod, start).map(PlacementSequence.Choice::node),
            one,
            oneOracle),
        new BenchCase(policy, "drl", "one-pod", 1, step -> drl.apply(pod, start), one, oneOracle),
        new BenchCase(
            policy,
            "oracle",
            "sequence",
            seq.size(),
            step ->
                oracle
                    .place(seq.pods().get(step), seq.snapshots().get(step))
                    .map(PlacementSequence.Choice::node),
            seq.chosen(),
            seqOracle),
        new BenchCase(
            policy,
            "drl",
            "sequence",
            seq.size(),
            step -> drl.apply(seq.pods().get(step), seq.snapshots().get(step)),
            seq.chosen(),
            seqOracle));
  }

  /**
   * The extender's filter over every node and prioritize over the kept ones, HAMi's ranking: the
   * same pod each call (its equivalence cache warm) and a new pod shape each call (uncached). Their
   * answers are priorities, not one node, so nothing is checked; ratios are to binpack's oracle,
   * HAMi's default node policy.
   */
  public List<BenchCase> extender() {
    Extender hami = BenchExtender.serving(start, new EngineRanking(Engine.Options.DEFAULTS));
    List<String> names = start.nodes().stream().map(s -> s.node().name()).toList();
    var same = new ExtenderArgs(BenchPods.pod("shared", 8000, 30), null, names);
    var shaped = new ArrayList<ExtenderArgs>(SHAPES);
    for (int i = 0; i < SHAPES; i++) {
      JsonNode p = BenchPods.pod("shape-" + i, 8000 + 16 * i, 30);
      shaped.add(new ExtenderArgs(p, null, names));
    }
    String oracle = PolicyRegistry.BINPACK + " oracle one-pod";
    return List.of(
        new BenchCase(
            EXTENDER_POLICY,
            "extender",
            "same-pod",
            1,
            step -> top(BenchExtender.cycle(hami, same)),
            List.of(),
            oracle),
        new BenchCase(
            EXTENDER_POLICY,
            "extender",
            "new-shape",
            SHAPES,
            step -> top(BenchExtender.cycle(hami, shaped.get(step))),
            List.of(),
            oracle));
  }

  /** The first host with the highest priority, what kube-scheduler would favour. */
  private static Optional<String> top(List<HostPriority> priorities) {
    HostPriority best = null;
    for (HostPriority h : priorities) {
      if (best == null || h.score() > best.score()) {
        best = h;
      }
    }
    return best == null ? Optional.empty() : Optional.of(best.host());
  }
}
