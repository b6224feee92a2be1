package dev.tessera.sim.bench;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.BaselineScores;
import dev.tessera.engine.features.FgdNode;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.FgdScore;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.drl.PolicyScorer;
import dev.tessera.policies.drl.ScoreBreakdown;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.FgdFeatures;
import dev.tessera.policies.facts.FgdFit;
import dev.tessera.policies.facts.FgdNodeState;
import dev.tessera.policies.facts.FgdShares;
import dev.tessera.policies.facts.HostFree;
import dev.tessera.policies.facts.ScoringRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The two ways the FGD paper's scoring policies decide a pod, as {@code FgdFamilyAgreementIT}
 * (policies) pins them equal: the oracle calls {@code engine.features} ({@link FgdScore}, {@link
 * BaselineScores}) on each fitting node's idle GPU shares; the DRL path feeds the built-in policy
 * {@link FgdFeatures} built as the simulator's {@code PolicyLoop} builds them, keeping each node's
 * {@link FgdNodeState} until the node changes. Both pick the highest points among the nodes the
 * engine's fit accepts, equal points going to the earlier node.
 *
 * <p>The seeded nodes register no host CPU, so both sides give every node {@link #HOST_CPU_MILLI}
 * free and the pod none (FGD then counts Kubernetes' default 100 milli), as the agreement test pins
 * them.
 */
final class FgdPaths {
  /** Host CPU every node has free for FGD's CPU dimension, millicores (the paper's maximum). */
  static final long HOST_CPU_MILLI = (long) BaselineScores.MAX_CPU_MILLI;

  /** Host memory every node has free, MiB: more than any pod asks, so it never decides. */
  static final long HOST_MEMORY_MIB = 1L << 20;

  /** Policies with an oracle here. */
  static final List<String> POLICIES =
      List.of(
          PolicyRegistry.FGD,
          PolicyRegistry.BESTFIT,
          PolicyRegistry.DOTPROD,
          PolicyRegistry.GPU_PACKING);

  /**
   * FGD's target workload: the sequence's one-GPU shares (30 % cores, i.e. 300 milli on an
   * A100-80GB), half and whole GPUs and a two-GPU pod, so fragmentation has classes to measure.
   */
  static final Fragmentation TARGET =
      new Fragmentation(
          TargetWorkload.fromPods(
              List.of(
                  new FgdPod(0, 0, 1, 300, ""),
                  new FgdPod(0, 0, 1, 300, ""),
                  new FgdPod(0, 0, 1, 500, ""),
                  new FgdPod(0, 0, 1, 1000, ""),
                  new FgdPod(0, 0, 2, 1000, ""))));

  private final String policy;
  private final PolicyScorer scorer;
  private final String gpuPolicy;

  /** The node state each position was last seen with, and its FGD state. */
  private ClusterSnapshot.NodeState[] seen = new ClusterSnapshot.NodeState[0];

  private FgdNodeState[] states = new FgdNodeState[0];

  FgdPaths(String policy, PolicyRegistry registry) {
    if (!POLICIES.contains(policy)) {
      throw new IllegalArgumentException("no FGD-family oracle for " + policy);
    }
    this.policy = policy;
    this.scorer = registry.builtIn(policy).scorer();
    this.gpuPolicy = Engine.Options.DEFAULTS.defaultGpuPolicy();
  }

  /** The oracle's choice: engine.features on each fitting node, the fit's devices. */
  Optional<PlacementSequence.Choice> oracle(PodRequest pod, ClusterSnapshot snapshot) {
    PodPlan plan = PodPlan.of(pod, gpuPolicy, null);
    PlacementSequence.Choice best = null;
    int bestPoints = 0;
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      if (!(NodeEvaluator.evaluate(plan, s.node(), s.usage())
          instanceof NodeEvaluator.Placed placed)) {
        continue;
      }
      List<DeviceUsage> usage = s.usage();
      int[] idle = new int[usage.size()];
      long idleTotal = 0;
      for (int j = 0; j < idle.length; j++) {
        idle[j] = FgdShares.idleMilli(usage.get(j));
        idleTotal += idle[j];
      }
      FgdPod shape = shape(pod, usage);
      int points =
          switch (policy) {
            case PolicyRegistry.FGD ->
                FgdScore.score(
                    TARGET,
                    new FgdNode(
                        HOST_CPU_MILLI,
                        HOST_MEMORY_MIB,
                        idle,
                        FgdNodeState.modelOf(usage.get(0).type())),
                    shape);
            case PolicyRegistry.BESTFIT ->
                BaselineScores.bestFitRaw(HOST_CPU_MILLI, idleTotal, shape);
            case PolicyRegistry.DOTPROD ->
                BaselineScores.dotProduct(HOST_CPU_MILLI, idleTotal, shape);
            case PolicyRegistry.GPU_PACKING -> BaselineScores.gpuPacking(idle, shape);
            default -> throw new IllegalStateException(policy);
          };
      if (best == null || points > bestPoints) {
        best = new PlacementSequence.Choice(s.node().name(), placed.containers());
        bestPoints = points;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The built-in DRL policy's choice over the fitting nodes' {@link FgdFeatures}. */
  Optional<String> drl(PodRequest pod, ClusterSnapshot snapshot) {
    PodPlan plan = PodPlan.of(pod, gpuPolicy, null);
    List<ClusterSnapshot.NodeState> nodes = snapshot.nodes();
    if (seen.length != nodes.size()) {
      seen = new ClusterSnapshot.NodeState[nodes.size()];
      states = new FgdNodeState[nodes.size()];
    }
    var facts = new ArrayList<FgdFeatures>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      ClusterSnapshot.NodeState s = nodes.get(i);
      if (seen[i] != s) {
        // snapshots share unchanged node states, so identity tells which nodes changed
        states[i] =
            FgdNodeState.of(
                s.node().name(),
                s.usage(),
                s.pods(),
                new HostFree(HOST_CPU_MILLI, HOST_MEMORY_MIB, s.pods().size()),
                TARGET);
        seen[i] = s;
      }
      FgdFit fit =
          FeatureExtractor.fgd(plan, shape(pod, s.usage()), states[i], s.node(), s.usage());
      if (fit.fits()) {
        facts.add(new FgdFeatures(fit, false));
      }
    }
    return scorer.score(ScoringRequest.of(pod), facts).best().map(ScoreBreakdown::node);
  }

  /** The pod's FGD shape on GPUs like {@code usage}'s first: one GPU's share, no CPU. */
  private static FgdPod shape(PodRequest pod, List<DeviceUsage> usage) {
    DeviceUsage ref = usage.get(0);
    int k = pod.requests().get(0).count();
    int milli =
        k > 1
            ? 1000
            : FgdShares.requestMilli(pod.requests().get(0), ref.totalMemMiB(), ref.totalCores());
    return new FgdPod(0, 0, k, milli, "");
  }
}
