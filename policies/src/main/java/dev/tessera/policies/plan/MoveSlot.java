package dev.tessera.policies.plan;

import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import java.util.List;
import org.optaplanner.core.api.domain.entity.PlanningEntity;
import org.optaplanner.core.api.domain.valuerange.ValueRangeProvider;
import org.optaplanner.core.api.domain.variable.PlanningVariable;

/**
 * The planning entity of a defragmentation plan: one running sharing pod and the node it should run
 * on; its own node means "stays where it is, on the same devices".
 */
@PlanningEntity
public final class MoveSlot {
  static final String CANDIDATES = "moveTargets";

  private int index;
  private String podKey;
  private List<List<ContainerDevice>> containers;
  private PodPlan plan;
  private PlanNode origin;
  private List<PlanNode> candidates;

  @PlanningVariable(valueRangeProviderRefs = CANDIDATES)
  private PlanNode target;

  /** For the solver's cloner only. */
  @SuppressWarnings("unused")
  private MoveSlot() {}

  /**
   * A movable pod.
   *
   * @param index order in which moved-in pods are fitted on a node
   * @param podKey {@code namespace/name}
   * @param containers the devices it holds now, per container
   * @param plan the request it is re-fitted with when it moves (what it holds now)
   * @param origin the node it runs on
   * @param candidates nodes it may go to, origin included, snapshot order
   */
  public MoveSlot(
      int index,
      String podKey,
      List<List<ContainerDevice>> containers,
      PodPlan plan,
      PlanNode origin,
      List<PlanNode> candidates) {
    this.index = index;
    this.podKey = podKey;
    this.containers = containers.stream().map(List::copyOf).toList();
    this.plan = plan;
    this.origin = origin;
    this.candidates = List.copyOf(candidates);
    this.target = origin;
  }

  public int index() {
    return index;
  }

  public String podKey() {
    return podKey;
  }

  public List<List<ContainerDevice>> containers() {
    return containers;
  }

  public PodPlan plan() {
    return plan;
  }

  public PlanNode origin() {
    return origin;
  }

  @ValueRangeProvider(id = CANDIDATES)
  public List<PlanNode> candidates() {
    return candidates;
  }

  public PlanNode getTarget() {
    return target;
  }

  public void setTarget(PlanNode target) {
    this.target = target;
  }

  /** Whether the plan moves the pod off its node. */
  public boolean moved() {
    return target != null && target != origin;
  }

  /** The nodes whose usage this pod's decision changes: origin and, when moved, target. */
  public List<Touch> touched() {
    return moved()
        ? List.of(new Touch(origin, this), new Touch(target, this))
        : List.of(new Touch(origin, this));
  }

  /** A node a movable pod leaves, stays on or joins. */
  public record Touch(PlanNode node, MoveSlot slot) {}

  @Override
  public String toString() {
    return podKey + ":" + origin + "->" + target;
  }
}
