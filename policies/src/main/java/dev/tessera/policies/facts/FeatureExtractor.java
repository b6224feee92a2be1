package dev.tessera.policies.facts;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.fit.Scores;
import dev.tessera.engine.fit.Topology;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.engine.usage.CachedPod;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Computes {@link NodeFeatures} once per node with the engine's own fit and scores, so rules never
 * re-derive (or disagree about) placement.
 */
public final class FeatureExtractor {
  private FeatureExtractor() {}

  /**
   * Features of every node of {@code snapshot}, in snapshot order, for {@code pod} under the
   * engine's {@code options} (the GPU policy default matters for which devices are chosen).
   *
   * @throws dev.tessera.engine.fit.InvalidScoringWeightsException when the pod's {@code
   *     hami.io/device-scoring-weights} is invalid
   */
  public static List<NodeFeatures> forSnapshot(
      PodRequest pod, ClusterSnapshot snapshot, Engine.Options options) {
    PodPlan plan = PodPlan.of(pod, options.defaultGpuPolicy(), null);
    var out = new ArrayList<NodeFeatures>(snapshot.nodes().size());
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      out.add(of(plan, s.node(), s.usage()));
    }
    return out;
  }

  /** Features of {@code node}, whose GPUs (register order) have {@code usage} before the pod. */
  public static NodeFeatures of(PodPlan plan, Node node, List<DeviceUsage> usage) {
    return of(plan, node, usage, NodeEvaluator.evaluate(plan, node, usage));
  }

  /**
   * Features of {@code node} from an evaluation already made, so a decision that needs the
   * outcome's devices as well does not run the fit twice.
   *
   * @param outcome {@code NodeEvaluator.evaluate(plan, node, usage)}
   */
  public static NodeFeatures of(
      PodPlan plan, Node node, List<DeviceUsage> usage, NodeEvaluator.Outcome outcome) {
    long totalSlots = 0;
    long usedSlots = 0;
    long totalMem = 0;
    long usedMem = 0;
    long totalCores = 0;
    long usedCores = 0;
    // A node has a handful of GPUs and usually one model: a list with a linear distinct check is
    // cheaper than a hash set per node, and keeps register order.
    List<String> models = new ArrayList<>(2);
    for (DeviceUsage d : usage) {
      totalSlots += d.count();
      usedSlots += d.used();
      totalMem += d.totalMemMiB();
      usedMem += d.usedMemMiB();
      totalCores += d.totalCores();
      usedCores += d.usedCores();
      if (!models.contains(d.type())) {
        models.add(d.type());
      }
    }
    if (models.size() == 1) {
      models = List.of(models.get(0)); // NodeFeatures keeps it as is rather than copying
    }
    boolean fits = outcome instanceof NodeEvaluator.Placed;
    String reason = fits ? "" : ((NodeEvaluator.Rejected) outcome).reason();
    List<ChosenDevice> chosen =
        fits ? chosen((NodeEvaluator.Placed) outcome, plan, usage) : List.of();
    // Same float32 value the engine ranks by, so DRL and Engine.decide order nodes identically.
    // Placed already carries it (same function of the same usage); only rejected nodes need it.
    float hami = fits ? ((NodeEvaluator.Placed) outcome).score() : Scores.nodeScore(usage);
    return new NodeFeatures(
        node.name(),
        fits,
        reason,
        hami,
        usage.size(),
        totalSlots,
        usedSlots,
        totalMem,
        usedMem,
        totalCores,
        usedCores,
        models,
        node.labels(),
        chosen);
  }

  /**
   * Placement features of the node of {@code state} for a pod of {@code tenant}, from the
   * evaluation already made and the node's features (whose chosen devices carry the device scores).
   */
  public static PlacementFeatures placement(
      ClusterSnapshot.NodeState state, NodeFeatures features, String tenant) {
    List<ChosenDevice> chosen = features.chosen();
    if (!features.fits() || chosen.isEmpty()) {
      return new PlacementFeatures(features.node(), features.fits(), 0, 0, 0, 0, tenant, List.of());
    }
    double scoreSum = 0;
    var numas = new ArrayList<Integer>(2);
    var uuids = new ArrayList<String>(chosen.size());
    long pairScore = 0;
    int container = chosen.get(0).container();
    var perContainer = new ArrayList<String>(chosen.size());
    for (ChosenDevice d : chosen) {
      scoreSum += d.score();
      DeviceUsage u = byUuid(state.usage(), d.uuid());
      Integer numa = u == null ? 0 : u.numa();
      if (!numas.contains(numa)) {
        numas.add(numa);
      }
      uuids.add(d.uuid());
      if (d.container() != container) {
        pairScore += Topology.combinationScore(perContainer, state.node().pairScores());
        perContainer.clear();
        container = d.container();
      }
      perContainer.add(d.uuid());
    }
    pairScore += Topology.combinationScore(perContainer, state.node().pairScores());
    return new PlacementFeatures(
        features.node(),
        true,
        chosen.size(),
        scoreSum / chosen.size(),
        pairScore,
        numas.size(),
        tenant,
        tenantsOn(state.pods(), uuids));
  }

  /** Namespaces of the pods holding any of {@code uuids}, sorted and distinct. */
  private static List<String> tenantsOn(List<CachedPod> pods, List<String> uuids) {
    var tenants = new TreeSet<String>();
    for (CachedPod p : pods) {
      if (holdsAny(p, uuids)) {
        int slash = p.key().indexOf('/');
        tenants.add(slash < 0 ? "" : p.key().substring(0, slash));
      }
    }
    return List.copyOf(tenants);
  }

  private static boolean holdsAny(CachedPod pod, List<String> uuids) {
    for (List<List<ContainerDevice>> containers : pod.devices().values()) {
      for (List<ContainerDevice> devices : containers) {
        for (ContainerDevice d : devices) {
          if (uuids.contains(d.uuid())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * The FGD paper's view of {@code pod} (shape {@code shape}) on {@code node}: the engine's fit
   * decides whether it fits, exactly as for {@link #of}; the paper's scores are computed from
   * {@code state} on first read. {@code state} must describe the same node and {@code usage}, with
   * the host resources left that kube-scheduler's filter saw.
   */
  public static FgdFit fgd(
      PodPlan plan, FgdPod shape, FgdNodeState state, Node node, List<DeviceUsage> usage) {
    if (shape.isCpuOnly()) {
      // HAMi's fit has nothing to place for a pod without GPU requests
      return new FgdFit(state, shape, true, "");
    }
    NodeEvaluator.Outcome outcome = NodeEvaluator.evaluate(plan, node, usage);
    boolean fits = outcome instanceof NodeEvaluator.Placed;
    return new FgdFit(state, shape, fits, fits ? "" : ((NodeEvaluator.Rejected) outcome).reason());
  }

  private static List<ChosenDevice> chosen(
      NodeEvaluator.Placed placed, PodPlan plan, List<DeviceUsage> usage) {
    var out = new ArrayList<ChosenDevice>(2);
    List<List<ContainerDevice>> containers = placed.containers();
    for (int c = 0; c < containers.size(); c++) {
      GpuRequest request = plan.requests().get(c);
      for (ContainerDevice cd : containers.get(c)) {
        DeviceUsage before = byUuid(usage, cd.uuid());
        double score =
            before == null ? 0 : Scores.deviceScore(before, request, plan.selectors().weights());
        // The allocation records the request's vendor ("NVIDIA"); rules want the GPU's model.
        String type = before == null ? cd.type() : before.type();
        out.add(new ChosenDevice(c, cd.uuid(), type, cd.usedMemMiB(), cd.usedCores(), score));
      }
    }
    // immutable here, so NodeFeatures' List.copyOf keeps it instead of copying again
    return out.size() == 1 ? List.of(out.get(0)) : List.copyOf(out);
  }

  /**
   * The usage of the GPU with {@code uuid}, or null. A linear scan: only chosen devices (usually
   * one) are looked up, among a node's few GPUs, so a per-node hash map costs more than it saves.
   * The last match wins, as a map keyed by uuid would have it.
   */
  static DeviceUsage byUuid(List<DeviceUsage> usage, String uuid) {
    for (int i = usage.size() - 1; i >= 0; i--) {
      DeviceUsage d = usage.get(i);
      if (d.id().equals(uuid)) {
        return d;
      }
    }
    return null;
  }
}
