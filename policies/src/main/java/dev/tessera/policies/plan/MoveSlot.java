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
  static final String REFIT_CHOICES = "refitChoices";
  private static final List<Boolean> NO_YES = List.of(Boolean.FALSE, Boolean.TRUE);

  private int index;
  private String podKey;
  private List<List<ContainerDevice>> containers;
  private PodPlan plan;
  private PlanNode origin;
  private List<PlanNode> candidates;

  @PlanningVariable(valueRangeProviderRefs = CANDIDATES)
  private PlanNode target;

  @PlanningVariable(valueRangeProviderRefs = REFIT_CHOICES)
  private Boolean refit;

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
    this.refit = Boolean.FALSE;
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

  @ValueRangeProvider(id = REFIT_CHOICES)
  public List<Boolean> refitChoices() {
    return NO_YES;
  }

  /** Whether the pod is re-fitted on its own node (meaningful only when the target is its own). */
  public Boolean getRefit() {
    return refit;
  }

  public void setRefit(Boolean refit) {
    this.refit = refit;
  }

  /** Whether the pod keeps its node and devices. */
  public boolean stays() {
    return target == origin && !Boolean.TRUE.equals(refit);
  }

  /** Whether the plan moves the pod: to another node, or to other GPUs of its own node. */
  public boolean moved() {
    return target != null && !stays();
  }

  /** The nodes whose usage this pod's decision changes: origin and, when another, target. */
  public List<Touch> touched() {
    return target != null && target != origin
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
