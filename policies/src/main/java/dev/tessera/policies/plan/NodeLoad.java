package dev.tessera.policies.plan;

import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.usage.CachedPod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The batch pods planned on one node, fitted one after another in batch order with the engine's
 * {@link NodeEvaluator}, each seeing the devices the earlier ones booked. This is where device
 * capacity is shared across the pods of a batch; a pod the fit rejects books nothing.
 *
 * @param node the node
 * @param outcomes one per planned pod, batch order
 * @param after usage once every fitting pod is booked
 */
public record NodeLoad(PlanNode node, List<PodOutcome> outcomes, List<DeviceUsage> after) {
  public NodeLoad {
    outcomes = List.copyOf(outcomes);
    after = List.copyOf(after);
  }

  /** Fits {@code slots} (any order; fitted in batch order) onto {@code node}'s base usage. */
  public static NodeLoad of(PlanNode node, List<PodSlot> slots) {
    var sorted = new ArrayList<>(slots);
    sorted.sort(Comparator.comparingInt(PodSlot::index));
    List<DeviceUsage> usage = node.base();
    List<CachedPod> pods = node.basePods();
    var outcomes = new ArrayList<PodOutcome>(sorted.size());
    for (PodSlot s : sorted) {
      NodeEvaluator.Outcome o = NodeEvaluator.evaluate(s.plan(), node.node(), usage);
      outcomes.add(new PodOutcome(s, node, usage, pods, o));
      if (o instanceof NodeEvaluator.Placed p) {
        CachedPod c = Booking.cached(s.pod().key(), s.plan().initCount(), p.containers());
        usage = Booking.add(node.node(), usage, pods, c);
        var next = new ArrayList<CachedPod>(pods.size() + 1);
        next.addAll(pods);
        next.add(c);
        pods = List.copyOf(next);
      }
    }
    return new NodeLoad(node, outcomes, usage);
  }
}
