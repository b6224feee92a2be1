package dev.tessera.policies.plan;

import static dev.tessera.policies.plan.PlanFixtures.node;
import static dev.tessera.policies.plan.PlanFixtures.pod;
import static dev.tessera.policies.plan.PlanFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.solver.EnvironmentMode;

/**
 * The constraint streams' incremental scores equal a from-scratch calculation after every move:
 * OptaPlanner's FULL_ASSERT mode recomputes each step's score and fails on any difference, which
 * would mean a grouped per-node load was not updated when a pod moved.
 */
class IncrementalScoreIT {
  private static final ClusterSnapshot CLUSTER =
      ClusterSnapshot.of(
          List.of(node("n0", 2), node("n1", 3), node("n2", 1)),
          List.of(
              running("r0", "n0", 0, 30_000, 40),
              running("r1", "n1", 1, 8_192, 30),
              running("r2", "n1", 2, 8_192, 20),
              running("r3", "n2", 0, 4_096, 10)));

  static List<String> policies() {
    return PlanPolicies.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void placementScoresStayConsistent(String policy) {
    var pods = new ArrayList<PodRequest>();
    for (int i = 0; i < 6; i++) {
      pods.add(pod("p" + i, 1 + i % 2, 10_240 * (1 + i % 3), 20 + 10 * (i % 3)));
    }
    var context =
        new PlanContext(
            Engine.Options.DEFAULTS,
            Optional.of(
                new Fragmentation(
                    new TargetWorkload(
                        List.of(new TargetWorkload.TypicalPod(100, 500, 1, "", 1, 1.0)), 1, 1))));
    PlacementSolution problem =
        new GangPlanner(Engine.Options.DEFAULTS, Optional.empty())
            .problem(pods, CLUSTER, context)
            .orElseThrow();
    var config =
        PlanPolicies.solverConfig(policy, Duration.ofSeconds(30), 200)
            .withEnvironmentMode(EnvironmentMode.FULL_ASSERT);
    PlacementSolution best =
        SolverFactory.<PlacementSolution>create(config).buildSolver().solve(problem);
    assertThat(best.score().isSolutionInitialized()).isTrue();
  }

  @Test
  void defragScoresStayConsistent() {
    var planner = new DefragPlanner();
    var context =
        new PlanContext(
            new Engine.Options("binpack", "binpack"),
            Optional.of(
                new Fragmentation(
                    new TargetWorkload(
                        List.of(new TargetWorkload.TypicalPod(100, 1000, 1, "", 1, 1.0)), 1, 1))));
    DefragSolution problem = planner.problem(CLUSTER, context, new DefragSettings(2));
    var config =
        DefragPlanner.solverConfig(Duration.ofSeconds(30), 200)
            .withEnvironmentMode(EnvironmentMode.FULL_ASSERT);
    DefragSolution best = SolverFactory.<DefragSolution>create(config).buildSolver().solve(problem);
    assertThat(best.score().hardScore().signum()).isZero();
  }
}
