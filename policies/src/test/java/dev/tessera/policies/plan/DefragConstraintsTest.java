package dev.tessera.policies.plan;

import static dev.tessera.policies.plan.PlanFixtures.node;
import static dev.tessera.policies.plan.PlanFixtures.running;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.score.buildin.hardmediumsoftbigdecimal.HardMediumSoftBigDecimalScore;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.SolverFactory;

/**
 * Every defragmentation constraint on hand-built plans: match count and impact (see {@link
 * ConstraintCheck}). Pods hold 30 % of the cores and 8 GiB (10 %) of an 80 GiB GPU: 300 milli-GPU.
 * The target workload is whole-GPU pods only, so a node's fragmentation is its idle milli-GPU on
 * GPUs that are not fully idle when one fully idle GPU remains, else all its idle milli-GPU.
 */
class DefragConstraintsTest {
  private static final ConstraintCheck<DefragSolution, HardMediumSoftBigDecimalScore> CHECK =
      new ConstraintCheck<>(
          SolutionManager.<DefragSolution, HardMediumSoftBigDecimalScore>create(
              SolverFactory.create(DefragPlanner.solverConfig(Duration.ofSeconds(1), 1))));

  private static final Engine.Options GPU_BINPACK = new Engine.Options("binpack", "binpack");

  /** n0: a on gpu-0, b on gpu-1; n1: c on gpu-0, gpu-1 idle. */
  private static final ClusterSnapshot THREE_SHARED =
      ClusterSnapshot.of(
          List.of(node("n0", 2), node("n1", 2)),
          List.of(
              running("a", "n0", 0, 8_192, 30),
              running("b", "n0", 1, 8_192, 30),
              running("c", "n1", 0, 8_192, 30)));

  private static DefragSolution plan(ClusterSnapshot snapshot, int maxMoves, String... targets) {
    var context =
        new PlanContext(
            GPU_BINPACK,
            Optional.of(
                new Fragmentation(
                    new TargetWorkload(
                        List.of(new TargetWorkload.TypicalPod(100, 1000, 1, "", 1, 1.0)), 1, 1))));
    DefragSolution s =
        new DefragPlanner(GPU_BINPACK).problem(snapshot, context, new DefragSettings(maxMoves));
    for (int i = 0; i < targets.length; i++) {
      String want = targets[i];
      MoveSlot slot = s.pods().get(i);
      slot.setTarget(
          s.nodes().stream().filter(n -> n.name().equals(want)).findFirst().orElseThrow());
    }
    return s;
  }

  private static HardMediumSoftBigDecimalScore hard(int v) {
    return HardMediumSoftBigDecimalScore.ofHard(BigDecimal.valueOf(v));
  }

  private static HardMediumSoftBigDecimalScore medium(int v) {
    return HardMediumSoftBigDecimalScore.ofMedium(BigDecimal.valueOf(v));
  }

  private static HardMediumSoftBigDecimalScore soft(int v) {
    return HardMediumSoftBigDecimalScore.ofSoft(BigDecimal.valueOf(v));
  }

  @Test
  void nothingMovingMatchesNothing() {
    CHECK
        .given(plan(THREE_SHARED, 2, "n0", "n0", "n1"))
        .hasNo(DefragConstraints.MOVED_POD_FITS)
        .hasNo(DefragConstraints.MOVE_LIMIT)
        .hasNo(DefragConstraints.FREED_GPUS)
        .hasNo(DefragConstraints.LESS_FRAGMENTATION)
        .hasNo(DefragConstraints.MOVE_COST);
  }

  @Test
  void movingCOntoAUsedGpuFreesOneGpuAndRemovesFragmentation() {
    // n0 [700, 700] F = 1400 -> [400, 700] F = 1100; n1 [700, 1000] F = 700 -> [1000, 1000] F = 0
    CHECK
        .given(plan(THREE_SHARED, 2, "n0", "n0", "n0"))
        .has(DefragConstraints.FREED_GPUS, 1, medium(1))
        .has(DefragConstraints.LESS_FRAGMENTATION, 2, soft(300 + 700))
        .has(DefragConstraints.MOVE_COST, 1, soft(-1))
        .hasNo(DefragConstraints.MOVED_POD_FITS)
        .hasNo(DefragConstraints.MOVE_LIMIT);
  }

  @Test
  void movingAAndBOntoCsGpuFreesTwoGpus() {
    // n0 [700, 700] F = 1400 -> [1000, 1000] F = 0; n1 [700, 1000] F = 700 -> [100, 1000] F = 100
    CHECK
        .given(plan(THREE_SHARED, 2, "n1", "n1", "n1"))
        .has(DefragConstraints.FREED_GPUS, 1, medium(2))
        .has(DefragConstraints.LESS_FRAGMENTATION, 2, soft(1400 + 600))
        .has(DefragConstraints.MOVE_COST, 2, soft(-2));
  }

  @Test
  void movesBeyondTheLimitArePenalisedByTheOverflow() {
    CHECK
        .given(plan(THREE_SHARED, 1, "n1", "n1", "n0"))
        .has(DefragConstraints.MOVE_LIMIT, 1, hard(-2))
        .has(DefragConstraints.MOVE_COST, 3, soft(-3));
  }

  @Test
  void refittingBOnItsOwnNodeJoinsAsGpuAndFreesOne() {
    // b leaves gpu-1 of n0 and the engine's GPU binpack puts it on gpu-0 next to a:
    // n0 [700, 700] F = 1400 -> [400, 1000] F = 400
    DefragSolution s = plan(THREE_SHARED, 2, "n0", "n0", "n1");
    s.pods().get(1).setRefit(true);
    CHECK
        .given(s)
        .has(DefragConstraints.FREED_GPUS, 1, medium(1))
        .has(DefragConstraints.LESS_FRAGMENTATION, 1, soft(1000))
        .has(DefragConstraints.MOVE_COST, 1, soft(-1))
        .hasNo(DefragConstraints.MOVED_POD_FITS);
  }

  @Test
  void aMovedPodWithoutRoomOnItsTargetMatches() {
    // d holds 80 % of n1's only GPU and stays: a (30 %) cannot join it.
    var snapshot =
        ClusterSnapshot.of(
            List.of(node("n0", 1), node("n1", 1)),
            List.of(running("a", "n0", 0, 8_192, 30), running("d", "n1", 0, 8_192, 80)));
    CHECK
        .given(plan(snapshot, 2, "n1", "n1"))
        .has(DefragConstraints.MOVED_POD_FITS, 1, hard(-1))
        // a is not booked anywhere: n0's GPU is idle (freed), n1 is unchanged
        .has(DefragConstraints.FREED_GPUS, 1, medium(1));
  }
}
