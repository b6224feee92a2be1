package dev.tessera.policies;

import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.fit.Scores;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Plain-Java oracle for the built-in GPU-level policies ({@code gpu-binpack}, {@code gpu-spread},
 * {@code topology}), written from their documented definitions without Drools or the facts classes:
 * devices come from the engine's fit under the policy's GPU policy; node points are the mean device
 * score (±) or the pair score plus the NUMA bonus; the highest total among fitting nodes wins and
 * equal totals go to the earlier node.
 */
final class GpuPolicyOracle {
  enum Kind {
    GPU_BINPACK("binpack"),
    GPU_SPREAD("spread"),
    TOPOLOGY("topology-aware");

    final String gpuPolicy;

    Kind(String gpuPolicy) {
      this.gpuPolicy = gpuPolicy;
    }
  }

  /** One node's oracle verdict. */
  record Scored(String node, boolean fits, double total, List<List<ContainerDevice>> devices) {}

  /**
   * @param best the chosen node, empty when nothing fits
   * @param ranking fitting nodes, best first, ties in snapshot order
   * @param nodes every node in snapshot order
   */
  record Result(Optional<String> best, List<Scored> ranking, List<Scored> nodes) {}

  static final double NUMA_BONUS = 100;

  private GpuPolicyOracle() {}

  static Result decide(Kind kind, PodRequest pod, ClusterSnapshot snapshot) {
    PodPlan plan = PodPlan.of(pod, kind.gpuPolicy, null);
    var nodes = new ArrayList<Scored>();
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      var outcome = NodeEvaluator.evaluate(plan, s.node(), s.usage());
      if (!(outcome instanceof NodeEvaluator.Placed placed)) {
        nodes.add(new Scored(s.node().name(), false, 0, List.of()));
        continue;
      }
      double total =
          switch (kind) {
            case GPU_BINPACK -> meanDeviceScore(plan, placed, s.usage());
            case GPU_SPREAD -> -meanDeviceScore(plan, placed, s.usage());
            case TOPOLOGY -> topology(placed, s);
          };
      nodes.add(new Scored(s.node().name(), true, total, placed.containers()));
    }
    var ranking = new ArrayList<Scored>();
    for (Scored s : nodes) {
      if (!s.fits()) {
        continue;
      }
      int at = ranking.size();
      while (at > 0 && ranking.get(at - 1).total() < s.total()) {
        at--; // insert after every node with an equal or higher total: earlier wins ties
      }
      ranking.add(at, s);
    }
    return new Result(
        ranking.isEmpty() ? Optional.empty() : Optional.of(ranking.get(0).node()), ranking, nodes);
  }

  /** Mean §7.3 score of the chosen GPUs before the pod, each for its own container's request. */
  private static double meanDeviceScore(
      PodPlan plan, NodeEvaluator.Placed placed, List<DeviceUsage> usage) {
    double sum = 0;
    int count = 0;
    for (int c = 0; c < placed.containers().size(); c++) {
      for (ContainerDevice d : placed.containers().get(c)) {
        DeviceUsage before =
            usage.stream().filter(u -> u.id().equals(d.uuid())).findFirst().orElseThrow();
        sum += Scores.deviceScore(before, plan.requests().get(c), plan.selectors().weights());
        count++;
      }
    }
    return count == 0 ? 0 : sum / count;
  }

  private static double topology(NodeEvaluator.Placed placed, ClusterSnapshot.NodeState s) {
    PairScores pairs = s.node().pairScores();
    long pairSum = 0;
    var numas = new HashSet<Integer>();
    int gpus = 0;
    for (List<ContainerDevice> container : placed.containers()) {
      for (int i = 0; i < container.size(); i++) {
        for (int j = i + 1; j < container.size(); j++) {
          pairSum += pairs.score(container.get(i).uuid(), container.get(j).uuid());
        }
        String uuid = container.get(i).uuid();
        numas.add(
            s.usage().stream().filter(u -> u.id().equals(uuid)).findFirst().orElseThrow().numa());
        gpus++;
      }
    }
    double total = 0;
    total += pairSum;
    if (gpus > 1 && numas.size() == 1) {
      total += NUMA_BONUS;
    }
    return total;
  }
}
