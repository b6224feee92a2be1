package dev.tessera.policies.plan;

import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.usage.CachedPod;
import java.util.List;

/**
 * A node as a problem fact of a plan: the engine's node, its GPU usage before the planned pods
 * (register order) and the pods that make up that usage. Equality is identity: the solver keys
 * groups by node, and comparing usage lists on every move would cost more than the fit itself.
 */
public final class PlanNode {
  private final int position;
  private final Node node;
  private final List<DeviceUsage> base;
  private final List<CachedPod> basePods;
  private final List<DeviceUsage> original;
  private final PlanContext context;

  /**
   * A node of a plan.
   *
   * @param position position in snapshot order (the tie-break: earlier wins)
   * @param node the engine's node
   * @param base usage the planned pods are added to, register order
   * @param basePods the pods {@code base} is computed from
   * @param original usage before any change (differs from {@code base} when a plan may move the
   *     node's running pods away)
   * @param context shared settings of the plan
   */
  public PlanNode(
      int position,
      Node node,
      List<DeviceUsage> base,
      List<CachedPod> basePods,
      List<DeviceUsage> original,
      PlanContext context) {
    this.position = position;
    this.node = node;
    this.base = List.copyOf(base);
    this.basePods = List.copyOf(basePods);
    this.original = List.copyOf(original);
    this.context = context;
  }

  /** Position in snapshot order. */
  public int position() {
    return position;
  }

  public String name() {
    return node.name();
  }

  public Node node() {
    return node;
  }

  /** Usage the planned pods are booked onto, register order. */
  public List<DeviceUsage> base() {
    return base;
  }

  /** Pods already counted in {@link #base()}. */
  public List<CachedPod> basePods() {
    return basePods;
  }

  /** Usage before the plan changes anything, register order. */
  public List<DeviceUsage> original() {
    return original;
  }

  public PlanContext context() {
    return context;
  }

  @Override
  public String toString() {
    return node.name();
  }
}
