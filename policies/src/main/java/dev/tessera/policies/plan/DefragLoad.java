package dev.tessera.policies.plan;

import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.usage.CachedPod;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One node under a defragmentation plan: its other pods, the movable pods that stay (on the devices
 * they hold), then the pods moving in or re-fitted on it, fitted in index order by the engine's
 * {@link NodeEvaluator}.
 *
 * @param node the node
 * @param rejected pods moving in that the engine's fit rejects
 * @param after usage once the staying and fitting pods are booked
 */
public record DefragLoad(PlanNode node, List<MoveSlot> rejected, List<DeviceUsage> after) {
  public DefragLoad {
    rejected = List.copyOf(rejected);
    after = List.copyOf(after);
  }

  /** The node's load given the pods that touch it (leaving, staying or joining). */
  public static DefragLoad of(PlanNode node, List<MoveSlot.Touch> touches) {
    var slots = new ArrayList<MoveSlot>(touches.size());
    for (MoveSlot.Touch t : touches) {
      slots.add(t.slot());
    }
    slots.sort(Comparator.comparingInt(MoveSlot::index));
    List<DeviceUsage> usage = node.base();
    List<CachedPod> pods = new ArrayList<>(node.basePods());
    for (MoveSlot s : slots) {
      if (s.origin() == node && s.stays()) {
        CachedPod c = Booking.cached(s.podKey(), s.plan().initCount(), s.containers());
        usage = Booking.add(node.node(), usage, pods, c);
        pods.add(c);
      }
    }
    var rejected = new ArrayList<MoveSlot>();
    for (MoveSlot s : slots) {
      if (s.getTarget() != node || s.stays()) {
        continue;
      }
      NodeEvaluator.Outcome o = NodeEvaluator.evaluate(s.plan(), node.node(), usage);
      if (o instanceof NodeEvaluator.Placed p) {
        CachedPod c = Booking.cached(s.podKey(), s.plan().initCount(), p.containers());
        usage = Booking.add(node.node(), usage, pods, c);
        pods.add(c);
      } else {
        rejected.add(s);
      }
    }
    return new DefragLoad(node, rejected, usage);
  }

  /** Whole idle GPUs after minus before: what the plan frees (negative: fills) on this node. */
  public int freedGpus() {
    return FgdView.wholeIdleCount(after) - FgdView.wholeIdleCount(node.original());
  }

  /** FGD fragmentation before minus after, milli-GPU: what the plan removes on this node. */
  public BigDecimal fragmentationRemoved() {
    Fragmentation f = node.context().requireFragmentation();
    double before = f.nodeFrag(FgdView.node(node.node(), node.original()));
    double after = f.nodeFrag(FgdView.node(node.node(), this.after));
    return new BigDecimal(before).subtract(new BigDecimal(after));
  }
}
