package dev.tessera.policies.plan;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.fit.PodPlan;
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

/** Small clusters and pods for plan tests: GPUs of 10 slots, 100 cores and the given memory. */
final class PlanFixtures {
  static final String A100 = "NVIDIA-NVIDIA A100-SXM4-80GB";
  static final int A100_MIB = 81_920;

  private PlanFixtures() {}

  /** A node named {@code name} with {@code gpus} idle A100s ({@code name-gpu-i}). */
  static Node node(String name, int gpus) {
    var devices = new ArrayList<GpuDevice>();
    for (int g = 0; g < gpus; g++) {
      devices.add(GpuDevice.of(name + "-gpu-" + g, g, A100, A100_MIB, 100, 10, 0));
    }
    return Node.of(name, devices);
  }

  /** A pod with one container asking {@code count} GPUs of {@code memMiB} and {@code cores}. */
  static PodRequest pod(String name, int count, int memMiB, int cores) {
    return new PodRequest(
        "default",
        name,
        "uid-" + name,
        Map.of(),
        List.of("main"),
        0,
        List.of(new GpuRequest(count, GpuRequest.NVIDIA, memMiB, GpuRequest.PERCENT_UNSET, cores)));
  }

  /** A running pod holding {@code memMiB} and {@code cores} of GPU {@code gpu} of {@code node}. */
  static Placement running(String name, String node, int gpu, int memMiB, int cores) {
    return new Placement(
        "default/" + name,
        "uid-" + name,
        node,
        0,
        List.of(List.of(ContainerDevice.of(node + "-gpu-" + gpu, "NVIDIA", memMiB, cores))));
  }

  static ClusterSnapshot snapshot(List<Node> nodes, List<Placement> running) {
    return ClusterSnapshot.of(nodes, running);
  }

  /**
   * A placement solution over {@code snapshot} where pod {@code i} is fixed on {@code nodes[i]}
   * (null leaves it unassigned); every node is a candidate.
   */
  static PlacementSolution fixed(
      ClusterSnapshot snapshot, PlanContext context, List<PodRequest> pods, String... nodes) {
    var planNodes = new ArrayList<PlanNode>();
    int pos = 0;
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      planNodes.add(new PlanNode(pos++, s.node(), s.usage(), s.pods(), s.usage(), context));
    }
    var slots = new ArrayList<PodSlot>();
    for (int i = 0; i < pods.size(); i++) {
      String want = nodes[i];
      PlanNode at =
          want == null
              ? null
              : planNodes.stream().filter(n -> n.name().equals(want)).findFirst().orElseThrow();
      PodPlan plan = PodPlan.of(pods.get(i), context.options().defaultGpuPolicy(), null);
      slots.add(new PodSlot(i, pods.get(i), plan, planNodes, at));
    }
    return new PlacementSolution(planNodes, slots);
  }

  static PlanContext defaults() {
    return PlanContext.of(Engine.Options.DEFAULTS);
  }
}
