package dev.tessera.policies.plan;

import dev.tessera.engine.decision.Engine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.optaplanner.core.api.score.buildin.hardsoftbigdecimal.HardSoftBigDecimalScore;
import org.optaplanner.core.api.score.stream.ConstraintProvider;
import org.optaplanner.core.api.score.stream.ConstraintStreamImplType;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.score.director.ScoreDirectorFactoryConfig;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;

/**
 * The built-in placement policies as OptaPlanner constraint providers, by the same names as the DRL
 * policies, and the solver configuration every plan uses (Bavet constraint streams, reproducible
 * mode). Score managers are built once per policy and instance.
 */
public final class PlanPolicies {
  private static final Map<String, Class<? extends ConstraintProvider>> PROVIDERS =
      Map.ofEntries(
          Map.entry(BinpackConstraints.NAME, BinpackConstraints.class),
          Map.entry(SpreadConstraints.NAME, SpreadConstraints.class),
          Map.entry(FgdConstraints.NAME, FgdConstraints.class),
          Map.entry(BestFitConstraints.NAME, BestFitConstraints.class),
          Map.entry(DotProdConstraints.NAME, DotProdConstraints.class),
          Map.entry(GpuPackingConstraints.NAME, GpuPackingConstraints.class),
          Map.entry(GpuClusteringConstraints.NAME, GpuClusteringConstraints.class),
          Map.entry(GpuBinpackConstraints.NAME, GpuBinpackConstraints.class),
          Map.entry(GpuSpreadConstraints.NAME, GpuSpreadConstraints.class),
          Map.entry(TopologyConstraints.NAME, TopologyConstraints.class),
          Map.entry(RandomConstraints.NAME, RandomConstraints.class));

  /**
   * The GPU policy ({@code hami.io/gpu-scheduler-policy} value) the engine's fit must run with for
   * a policy's constraints to mean what its DRL file means; the same pairs as {@code
   * PolicyRegistry.gpuPolicyOf}.
   */
  private static final Map<String, String> GPU_POLICIES =
      Map.of(
          GpuBinpackConstraints.NAME, "binpack",
          GpuSpreadConstraints.NAME, "spread",
          TopologyConstraints.NAME, "topology-aware");

  private final Map<String, SolutionManager<PlacementSolution, HardSoftBigDecimalScore>> managers =
      new ConcurrentHashMap<>();

  /** Policy names with a constraint provider, sorted. */
  public static List<String> names() {
    return PROVIDERS.keySet().stream().sorted().toList();
  }

  /** Whether {@code name}'s constraints read FGD fragmentation (and so need a target workload). */
  public static boolean needsWorkload(String name) {
    return FgdConstraints.NAME.equals(name);
  }

  /**
   * The GPU policy {@code name}'s constraints need the fit to choose devices with ({@code binpack},
   * {@code spread} or {@code topology-aware}), or {@code ""} when any GPU policy will do.
   */
  public static String gpuPolicyOf(String name) {
    return GPU_POLICIES.getOrDefault(name, "");
  }

  /**
   * {@code options} with {@code name}'s GPU policy as the default, as {@code PolicyDecider} does
   * for the DRL form; {@code options} itself when the policy needs none. Plans build their pods'
   * {@code PodPlan}s from these options, since {@link NodeLoad} fits with the plan's device order.
   */
  public static Engine.Options options(String name, Engine.Options options) {
    String gpu = gpuPolicyOf(name);
    return gpu.isEmpty() ? options : new Engine.Options(options.defaultNodePolicy(), gpu);
  }

  /**
   * The constraint provider class of {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static Class<? extends ConstraintProvider> provider(String name) {
    var p = PROVIDERS.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown plan policy \"" + name + "\"; known: " + String.join(", ", names()));
    }
    return p;
  }

  /**
   * Solver configuration for placement plans under {@code policy}: a construction heuristic, then
   * local search until {@code unimprovedSteps} steps or a tenth of {@code limit} (at most 2 s)
   * found nothing better; the whole solve ends after {@code limit} in any case. The time bound is
   * needed because late acceptance at an optimum can reject every move of a step forever.
   */
  public static SolverConfig solverConfig(String policy, Duration limit, int unimprovedSteps) {
    return new SolverConfig()
        .withSolutionClass(PlacementSolution.class)
        .withEntityClasses(PodSlot.class)
        .withEnvironmentMode(EnvironmentMode.REPRODUCIBLE)
        .withScoreDirectorFactory(scoreDirector(provider(policy)))
        .withPhases(
            new ConstructionHeuristicPhaseConfig(),
            new LocalSearchPhaseConfig()
                .withTerminationConfig(
                    new TerminationConfig()
                        .withUnimprovedStepCountLimit(unimprovedSteps)
                        .withUnimprovedSpentLimit(unimprovedTime(limit))))
        .withTerminationConfig(new TerminationConfig().withSpentLimit(limit));
  }

  static Duration unimprovedTime(Duration limit) {
    Duration tenth = limit.dividedBy(10);
    Duration floor = Duration.ofMillis(100);
    Duration cap = Duration.ofSeconds(2);
    return tenth.compareTo(floor) < 0 ? floor : tenth.compareTo(cap) > 0 ? cap : tenth;
  }

  /** Bavet, set explicitly: the Drools implementation is deprecated and needs other modules. */
  static ScoreDirectorFactoryConfig scoreDirector(Class<? extends ConstraintProvider> provider) {
    return new ScoreDirectorFactoryConfig()
        .withConstraintProviderClass(provider)
        .withConstraintStreamImplType(ConstraintStreamImplType.BAVET);
  }

  /** Scores and explains fixed placements under {@code policy}; built once per instance. */
  public SolutionManager<PlacementSolution, HardSoftBigDecimalScore> solutionManager(
      String policy) {
    return managers.computeIfAbsent(
        policy,
        p ->
            SolutionManager.create(
                SolverFactory.create(solverConfig(p, Duration.ofSeconds(1), 1))));
  }
}
