package dev.tessera.policies.plan;

import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.PodRequest;
import java.util.List;
import org.optaplanner.core.api.domain.entity.PlanningEntity;
import org.optaplanner.core.api.domain.valuerange.ValueRangeProvider;
import org.optaplanner.core.api.domain.variable.PlanningVariable;

/**
 * The planning entity of a placement plan: one pod of the batch and the node it goes to. The pod
 * itself is the engine's record, never annotated; only the node changes while solving.
 */
@PlanningEntity
public final class PodSlot {
  static final String CANDIDATES = "candidateNodes";

  private int index;
  private PodRequest pod;
  private PodPlan plan;
  private List<PlanNode> candidates;

  @PlanningVariable(valueRangeProviderRefs = CANDIDATES)
  private PlanNode node;

  /** For the solver's cloner only. */
  @SuppressWarnings("unused")
  private PodSlot() {}

  /**
   * A pod of the batch.
   *
   * @param index position in the batch: pods on the same node are fitted in this order
   * @param pod the pod
   * @param plan the pod's evaluation plan (requests, selectors, device order)
   * @param candidates nodes the solver may choose, in snapshot order
   * @param node initial node, or null to let the solver choose
   */
  public PodSlot(
      int index, PodRequest pod, PodPlan plan, List<PlanNode> candidates, PlanNode node) {
    this.index = index;
    this.pod = pod;
    this.plan = plan;
    this.candidates = List.copyOf(candidates);
    this.node = node;
  }

  public int index() {
    return index;
  }

  public PodRequest pod() {
    return pod;
  }

  public PodPlan plan() {
    return plan;
  }

  @ValueRangeProvider(id = CANDIDATES)
  public List<PlanNode> candidates() {
    return candidates;
  }

  /** The node the pod goes to; null before the solver assigned one. */
  public PlanNode getNode() {
    return node;
  }

  public void setNode(PlanNode node) {
    this.node = node;
  }

  @Override
  public String toString() {
    return pod.key() + "->" + node;
  }
}
