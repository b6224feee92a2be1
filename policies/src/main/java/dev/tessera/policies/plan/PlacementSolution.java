package dev.tessera.policies.plan;

import java.util.List;
import org.optaplanner.core.api.domain.solution.PlanningEntityCollectionProperty;
import org.optaplanner.core.api.domain.solution.PlanningScore;
import org.optaplanner.core.api.domain.solution.PlanningSolution;
import org.optaplanner.core.api.domain.solution.ProblemFactCollectionProperty;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;

/**
 * A batch of pods to place on a cluster: the nodes with their usage before the batch (problem
 * facts) and one {@link PodSlot} per pod (planning entities). Hard score: minus the pods the
 * engine's fit rejects on their node, given the batch pods placed before them there; soft score:
 * the policy's points. BigDecimal so that HAMi's float scores add up exactly.
 */
@PlanningSolution
public final class PlacementSolution {
  @ProblemFactCollectionProperty private List<PlanNode> nodes;

  @PlanningEntityCollectionProperty private List<PodSlot> pods;

  @PlanningScore private HardSoftBigDecimalScore score;

  /** For the solver's cloner only. */
  @SuppressWarnings("unused")
  private PlacementSolution() {}

  public PlacementSolution(List<PlanNode> nodes, List<PodSlot> pods) {
    this.nodes = List.copyOf(nodes);
    this.pods = List.copyOf(pods);
  }

  /** Nodes in snapshot order. */
  public List<PlanNode> nodes() {
    return nodes;
  }

  /** Pods in batch order. */
  public List<PodSlot> pods() {
    return pods;
  }

  /** The score the solver or a score calculation last set; null before. */
  public HardSoftBigDecimalScore score() {
    return score;
  }

  public void setScore(HardSoftBigDecimalScore score) {
    this.score = score;
  }
}
