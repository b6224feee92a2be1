package dev.tessera.policies.plan;

import java.util.List;
import org.optaplanner.core.api.domain.solution.PlanningEntityCollectionProperty;
import org.optaplanner.core.api.domain.solution.PlanningScore;
import org.optaplanner.core.api.domain.solution.PlanningSolution;
import org.optaplanner.core.api.domain.solution.ProblemFactCollectionProperty;
import org.optaplanner.core.api.domain.solution.ProblemFactProperty;
import org.optaplanner.core.api.score.buildin.hardmediumsoftbigdecimal.HardMediumSoftBigDecimalScore;

/**
 * Which running sharing pods to move: nodes whose base usage excludes every movable pod (facts),
 * one {@link MoveSlot} per movable pod (entities). Hard: moves fit and stay within the limit;
 * medium: whole GPUs freed; soft: milli-GPU of FGD fragmentation removed, minus one per move.
 */
@PlanningSolution
public final class DefragSolution {
  @ProblemFactCollectionProperty private List<PlanNode> nodes;

  @ProblemFactProperty private DefragSettings settings;

  @PlanningEntityCollectionProperty private List<MoveSlot> pods;

  @PlanningScore private HardMediumSoftBigDecimalScore score;

  /** For the solver's cloner only. */
  @SuppressWarnings("unused")
  private DefragSolution() {}

  public DefragSolution(List<PlanNode> nodes, DefragSettings settings, List<MoveSlot> pods) {
    this.nodes = List.copyOf(nodes);
    this.settings = settings;
    this.pods = List.copyOf(pods);
  }

  public List<PlanNode> nodes() {
    return nodes;
  }

  public DefragSettings settings() {
    return settings;
  }

  public List<MoveSlot> pods() {
    return pods;
  }

  public HardMediumSoftBigDecimalScore score() {
    return score;
  }

  public void setScore(HardMediumSoftBigDecimalScore score) {
    this.score = score;
  }
}
