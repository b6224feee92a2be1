package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.BaselineScores;
import dev.tessera.engine.features.FgdNode;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.FgdScore;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.drl.PolicyScorer;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.drl.ScoreBreakdown;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.FgdFeatures;
import dev.tessera.policies.facts.FgdNodeState;
import dev.tessera.policies.facts.FgdShares;
import dev.tessera.policies.facts.HostFree;
import dev.tessera.policies.facts.ScoringRequest;
import dev.tessera.policies.plan.PlacementSolution;
import dev.tessera.policies.plan.PlanContext;
import dev.tessera.policies.plan.PlanNode;
import dev.tessera.policies.plan.PlanPolicies;
import dev.tessera.policies.plan.PodSlot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;
import org.optaplanner.core.api.solver.SolutionManager;

/**
 * The three forms of the FGD paper's scoring policies (fgd, bestfit, dotprod, gpu-packing,
 * gpu-clustering) agree per node: the built-in DRL policy over {@link FgdFeatures} candidates built
 * as the simulator's {@code PolicyLoop} builds them ({@link FeatureExtractor#fgd} on an {@link
 * FgdNodeState}), the OptaPlanner constraints (the soft score of a one-pod solution fixed on each
 * node in turn, as {@link PlanAgreementIT} scores it) and an oracle calling {@code engine.features}
 * ({@link FgdScore}, {@link BaselineScores}) directly on the generated numbers. Over 1,000 seeded
 * cases per policy (2–6 nodes of 1–8 GPUs, V100M16 or A100 registered as the simulator registers
 * trace nodes, GPUs partly booked by sharing or whole-GPU pods; a pod asking one shared GPU in
 * cores and memory percent or 1–2 whole GPUs, as {@code EngineMapping} maps openb pods) they give
 * the same eligible nodes (the engine's fit) in the same order, best first, equal scores keeping
 * the earlier node, with the same points.
 *
 * <p>Points are compared exactly because the inputs are pinned where the plan package reads the
 * model differently by design: the plan package does not track host CPU per pod ({@code FgdView}:
 * CPU left = allocatable CPU, the pod asks none, so the paper counts 100 milli), so the DRL facts
 * are given the node's whole allocatable CPU as left and the pod no CPU. BestFit's DRL rule and
 * constraint both use the raw score (the paper's min-max normalisation keeps order and ties over
 * one pod's candidates), and the oracle ranks by the raw score too. A failure names the policy,
 * case and seed that regenerate it ({@code new Case(seed)}).
 *
 * <p>A third of the running sharing pods book more memory than cores, up to a whole GPU's memory
 * with less than all cores: both forms then tag the pod for GpuClustering by its larger share
 * ({@link FgdShares}), i.e. {@code 1-gpu}, as the oracle does here (before that rule was shared,
 * seed 72954792 case 153 gave node-1 86 by DRL, 61 by OptaPlanner).
 */
class FgdFamilyAgreementIT {
  private static final int CASES = 1_000;
  private static final long BASE_SEED = 2026_1123_4L;
  private static final String[] MODELS = {"V100M16", "A100"};
  private static final int[] MEMORY = {16_384, 40_960};

  /** The target workload: typed and untyped classes, so the GPU model matters to FGD. */
  private static final Fragmentation FRAG =
      new Fragmentation(
          TargetWorkload.fromPods(
              List.of(
                  new FgdPod(4000, 0, 1, 500, ""),
                  new FgdPod(8000, 0, 1, 1000, ""),
                  new FgdPod(2000, 0, 1, 250, "V100M16"),
                  new FgdPod(16000, 0, 2, 1000, "A100"),
                  new FgdPod(2000, 0, 0, 0, ""))));

  /** One eligible node as a form ranks it. */
  record Entry(String node, BigDecimal points) {}

  /** One generated node: engine node, device usage, bound pods and GpuClustering tags. */
  record GenNode(Node node, List<DeviceUsage> usage, List<CachedPod> pods, List<String> tags) {}

  /** One generated case: nodes and a pod with its FGD shape. */
  static final class Case {
    final List<GenNode> nodes = new ArrayList<>();
    final PodRequest pod;
    final int k;
    final int cores;

    Case(long seed) {
      var rnd = new Random(seed);
      int n = 2 + rnd.nextInt(5);
      for (int i = 0; i < n; i++) {
        String name = "node-" + i;
        int model = rnd.nextInt(MODELS.length);
        int gpus = 1 + rnd.nextInt(8);
        var devices = new ArrayList<GpuDevice>();
        var usage = new ArrayList<DeviceUsage>();
        var pods = new ArrayList<CachedPod>();
        var tags = new ArrayList<String>();
        for (int j = 0; j < gpus; j++) {
          GpuDevice d =
              GpuDevice.of(
                  name + "-gpu" + j, j, "NVIDIA-" + MODELS[model], MEMORY[model], 100, 100, 0);
          devices.add(d);
          DeviceUsage u = DeviceUsage.idle(d);
          int sharers = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(3);
          if (rnd.nextInt(6) == 0) {
            // one whole-GPU pod
            int mem = MEMORY[model];
            u = u.plus(1, mem, 100);
            pods.add(pod(name + "-w" + j, d, mem, 100));
            addTag(tags, "1-gpu");
            sharers = 0;
          }
          for (int s = 0; s < sharers; s++) {
            int c = 5 + 5 * rnd.nextInt(9);
            // a third book more memory than cores (a MiB ask), below a whole GPU: see the Javadoc
            int mem =
                MEMORY[model]
                    * (rnd.nextInt(3) == 0 ? Math.min(100, c + 5 * rnd.nextInt(12)) : c)
                    / 100;
            if (u.usedCores() + c > 100 || u.usedMemMiB() + mem > MEMORY[model]) {
              break;
            }
            u = u.plus(1, mem, c);
            pods.add(pod(name + "-s" + j + "-" + s, d, mem, c));
            addTag(
                tags, FgdShares.shareMilli(MEMORY[model], 100, mem, c) < 1000 ? "share" : "1-gpu");
          }
          usage.add(u);
        }
        long cpu = 32_000L * (1 + rnd.nextInt(4));
        nodes.add(
            new GenNode(
                new Node(name, Map.of(), cpu, 256_000, devices, null, null),
                List.copyOf(usage),
                List.copyOf(pods),
                List.copyOf(tags)));
      }
      if (rnd.nextInt(5) == 0) {
        k = 1 + rnd.nextInt(2);
        cores = 100;
      } else {
        k = 1;
        cores = 5 + 5 * rnd.nextInt(19);
      }
      // EngineMapping.request: cores as asked, memory percent = cores when no memory is asked
      pod =
          new PodRequest(
              "sim",
              "p" + seed,
              "",
              Map.of(),
              List.of("main"),
              0,
              List.of(new GpuRequest(k, GpuRequest.NVIDIA, 0, cores, cores)));
    }

    /** FGD shape on a node with {@code usage}, as EngineMapping.shapeOn; no CPU (see Javadoc). */
    FgdPod shape(List<DeviceUsage> usage) {
      DeviceUsage ref = usage.get(0);
      int milli =
          k > 1
              ? 1000
              : FgdShares.requestMilli(pod.requests().get(0), ref.totalMemMiB(), ref.totalCores());
      return new FgdPod(0, 0, k, milli, "");
    }

    private static void addTag(List<String> tags, String t) {
      if (!tags.contains(t)) {
        tags.add(t);
      }
    }

    private static CachedPod pod(String key, GpuDevice d, int mem, int cores) {
      return CachedPod.of(
          "sim/" + key,
          Map.of(
              GpuRequest.NVIDIA,
              List.of(List.of(ContainerDevice.of(d.uuid(), "NVIDIA", mem, cores)))));
    }
  }

  @ParameterizedTest(name = "{0}: DRL, OptaPlanner and engine.features rank nodes alike")
  @ValueSource(
      strings = {
        PolicyRegistry.FGD,
        PolicyRegistry.BESTFIT,
        PolicyRegistry.DOTPROD,
        PolicyRegistry.GPU_PACKING,
        PolicyRegistry.GPU_CLUSTERING
      })
  void threeFormsAgree(String policy) {
    PolicyScorer drl = new PolicyRegistry().builtIn(policy).scorer();
    SolutionManager<PlacementSolution, HardSoftBigDecimalScore> opta =
        new PlanPolicies().solutionManager(policy);
    int placed = 0;
    int choice = 0;
    for (int i = 0; i < CASES; i++) {
      long seed = BASE_SEED + 37L * i + policy.hashCode();
      var c = new Case(seed);
      List<Entry> oracle = oracle(policy, c);
      List<Entry> rules = drl(drl, c);
      List<Entry> constraints = optaPlanner(opta, policy, c);
      String label =
          String.format(
              "policy %s, case %d, seed %d (new Case(seed)), pod k=%d cores=%d",
              policy, i, seed, c.k, c.cores);
      assertThat(rules).as("DRL vs oracle: %s", label).isEqualTo(oracle);
      assertThat(constraints).as("OptaPlanner vs oracle: %s", label).isEqualTo(oracle);
      if (!oracle.isEmpty()) {
        placed++;
      }
      if (oracle.size() > 1 && oracle.get(0).points().compareTo(oracle.get(1).points()) != 0) {
        choice++;
      }
    }
    // The generator must exercise placements where the policy actually decides.
    assertThat(placed).isGreaterThan(CASES / 2);
    assertThat(choice).isGreaterThan(CASES / 10);
  }

  private static PodPlan plan(Case c) {
    return PodPlan.of(c.pod, Engine.Options.DEFAULTS.defaultGpuPolicy(), null);
  }

  /** engine.features on the generated numbers; eligible = the engine's fit. */
  private static List<Entry> oracle(String policy, Case c) {
    PodPlan plan = plan(c);
    var out = new ArrayList<Entry>();
    for (GenNode g : c.nodes) {
      if (!(NodeEvaluator.evaluate(plan, g.node(), g.usage()) instanceof NodeEvaluator.Placed)) {
        continue;
      }
      int[] idle = new int[g.usage().size()];
      for (int j = 0; j < idle.length; j++) {
        idle[j] = FgdShares.idleMilli(g.usage().get(j));
      }
      String model = FgdNodeState.modelOf(g.usage().get(0).type());
      var node = new FgdNode(g.node().cpuMilli(), Long.MAX_VALUE / 4, idle, model);
      FgdPod pod = c.shape(g.usage());
      long idleTotal = 0;
      for (int v : idle) {
        idleTotal += v;
      }
      int points =
          switch (policy) {
            case PolicyRegistry.FGD -> FgdScore.score(FRAG, node, pod);
            case PolicyRegistry.BESTFIT ->
                BaselineScores.bestFitRaw(g.node().cpuMilli(), idleTotal, pod);
            case PolicyRegistry.DOTPROD ->
                BaselineScores.dotProduct(g.node().cpuMilli(), idleTotal, pod);
            case PolicyRegistry.GPU_PACKING -> BaselineScores.gpuPacking(idle, pod);
            case PolicyRegistry.GPU_CLUSTERING ->
                BaselineScores.gpuClustering(
                    idleTotal, g.tags().contains(pod.gpuTag()), g.tags().size(), pod);
            default -> throw new IllegalArgumentException(policy);
          };
      out.add(new Entry(g.node().name(), norm(BigDecimal.valueOf(points))));
    }
    out.sort(Comparator.comparing(Entry::points).reversed());
    return out;
  }

  /** The DRL policy over FgdFeatures built as the simulator's PolicyLoop builds them. */
  private static List<Entry> drl(PolicyScorer scorer, Case c) {
    PodPlan plan = plan(c);
    var facts = new ArrayList<FgdFeatures>();
    for (GenNode g : c.nodes) {
      var state =
          FgdNodeState.of(
              g.node().name(),
              g.usage(),
              g.pods(),
              new HostFree(g.node().cpuMilli(), g.node().memoryMiB(), g.pods().size()),
              FRAG);
      facts.add(
          new FgdFeatures(
              FeatureExtractor.fgd(plan, c.shape(g.usage()), state, g.node(), g.usage()), false));
    }
    Ranking ranking = scorer.score(ScoringRequest.of(c.pod), facts);
    var out = new ArrayList<Entry>();
    for (ScoreBreakdown b : ranking.ranked()) {
      if (b.eligible()) {
        out.add(new Entry(b.node(), norm(new BigDecimal(b.total()))));
      }
    }
    return out;
  }

  /** Scores the pod fixed on each node in turn; ranks feasible nodes by soft score, stable. */
  private static List<Entry> optaPlanner(
      SolutionManager<PlacementSolution, HardSoftBigDecimalScore> manager, String policy, Case c) {
    Engine.Options options = PlanPolicies.options(policy, Engine.Options.DEFAULTS);
    var context = new PlanContext(options, Optional.of(FRAG));
    var nodes = new ArrayList<PlanNode>();
    int pos = 0;
    for (GenNode g : c.nodes) {
      nodes.add(new PlanNode(pos++, g.node(), g.usage(), g.pods(), g.usage(), context));
    }
    PodPlan plan = PodPlan.of(c.pod, options.defaultGpuPolicy(), null);
    var out = new ArrayList<Entry>();
    for (PlanNode n : nodes) {
      var slot = new PodSlot(0, c.pod, plan, nodes, n);
      HardSoftBigDecimalScore score = manager.update(new PlacementSolution(nodes, List.of(slot)));
      if (score.hardScore().signum() != 0) {
        continue;
      }
      out.add(new Entry(n.name(), norm(score.softScore())));
    }
    out.sort(Comparator.comparing(Entry::points).reversed());
    return out;
  }

  private static BigDecimal norm(BigDecimal d) {
    return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
  }
}
