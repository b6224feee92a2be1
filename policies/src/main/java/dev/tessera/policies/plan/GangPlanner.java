package dev.tessera.policies.plan;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.optaplanner.core.api.solver.Solver;
import org.optaplanner.core.api.solver.SolverFactory;

/**
 * Places a batch of pods all-or-nothing (a gang, e.g. a 40-pod training job) with OptaPlanner:
 * either every pod gets a node and devices, with device capacity shared across the batch as the
 * engine's fit grants it, or none does.
 */
public final class GangPlanner {
  private final Engine.Options options;
  private final Optional<TargetWorkload> workload;

  /**
   * A planner.
   *
   * @param options scheduler-wide defaults (the GPU policy decides which devices are chosen)
   * @param workload FGD target workload for the {@code fgd} policy; when empty, the batch itself
   */
  public GangPlanner(Engine.Options options, Optional<TargetWorkload> workload) {
    this.options = options;
    this.workload = workload;
  }

  /** A planner with HAMi's defaults and no target workload. */
  public GangPlanner() {
    this(Engine.Options.DEFAULTS, Optional.empty());
  }

  /**
   * Places every pod of {@code pods} on {@code snapshot} under {@code policyName} (one of {@link
   * PlanPolicies#names()}), searching at most {@code limit}.
   *
   * <p>Each returned placement has been checked by booking the placements one after another with
   * {@link ClusterSnapshot#assume} and re-running the engine's fit before each: the list can be
   * applied in order as is.
   *
   * @return one placement per pod, in batch order; empty when the search found no way to place them
   *     all (some pod fits on no node, or not all fit together within {@code limit})
   * @throws IllegalArgumentException for an unknown policy, a pod listed twice or already placed,
   *     or a limit that is not positive
   * @throws dev.tessera.engine.fit.InvalidScoringWeightsException when a pod's scoring weights
   *     annotation is invalid
   */
  public Optional<List<Placement>> plan(
      List<PodRequest> pods, ClusterSnapshot snapshot, String policyName, Duration limit) {
    PlanPolicies.provider(policyName); // fail fast with the list of known names
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("time limit must be positive, got " + limit);
    }
    var keys = new HashSet<String>();
    for (PodRequest p : pods) {
      if (!keys.add(p.key())) {
        throw new IllegalArgumentException("pod " + p.key() + " is listed twice in the batch");
      }
      if (snapshot.nodeOf(p.key()).isPresent()) {
        throw new IllegalArgumentException(
            "pod " + p.key() + " is already placed on " + snapshot.nodeOf(p.key()).get());
      }
    }
    if (pods.isEmpty()) {
      return Optional.of(List.of());
    }
    PlanContext context = context(pods, snapshot, policyName);
    Optional<PlacementSolution> problem = problem(pods, snapshot, context);
    if (problem.isEmpty()) {
      return Optional.empty();
    }
    int unimproved = Math.max(1_000, 50 * pods.size());
    Solver<PlacementSolution> solver =
        SolverFactory.<PlacementSolution>create(
                PlanPolicies.solverConfig(policyName, limit, unimproved))
            .buildSolver();
    PlacementSolution best = solver.solve(problem.get());
    if (best.score() == null
        || !best.score().isSolutionInitialized()
        || best.score().hardScore().signum() != 0) {
      return Optional.empty();
    }
    return Optional.of(verified(best, snapshot));
  }

  /**
   * The problem: every node with its usage before the batch; each pod's candidates are the nodes it
   * fits on alone (a pod that fits nowhere alone cannot fit with the batch). Empty when some pod
   * has no candidate.
   */
  Optional<PlacementSolution> problem(
      List<PodRequest> pods, ClusterSnapshot snapshot, PlanContext context) {
    var nodes = new ArrayList<PlanNode>(snapshot.nodes().size());
    int pos = 0;
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      nodes.add(new PlanNode(pos++, s.node(), s.usage(), s.pods(), s.usage(), context));
    }
    var slots = new ArrayList<PodSlot>(pods.size());
    for (int i = 0; i < pods.size(); i++) {
      PodRequest pod = pods.get(i);
      PodPlan plan = PodPlan.of(pod, context.options().defaultGpuPolicy(), null);
      var candidates = new ArrayList<PlanNode>();
      for (PlanNode n : nodes) {
        if (NodeEvaluator.evaluate(plan, n.node(), n.base()) instanceof NodeEvaluator.Placed) {
          candidates.add(n);
        }
      }
      if (candidates.isEmpty()) {
        return Optional.empty();
      }
      slots.add(new PodSlot(i, pod, plan, candidates, null));
    }
    return Optional.of(new PlacementSolution(nodes, slots));
  }

  private PlanContext context(List<PodRequest> pods, ClusterSnapshot snapshot, String policy) {
    // gpu-binpack, gpu-spread and topology choose devices with their own GPU policy
    Engine.Options options = PlanPolicies.options(policy, this.options);
    if (!PlanPolicies.needsWorkload(policy)) {
      return PlanContext.of(options);
    }
    TargetWorkload t =
        workload.orElseGet(
            () -> {
              List<DeviceUsage> ref =
                  snapshot.nodes().stream()
                      .map(ClusterSnapshot.NodeState::usage)
                      .filter(u -> !u.isEmpty())
                      .findFirst()
                      .orElse(List.of());
              var shapes = new ArrayList<FgdPod>();
              for (PodRequest p : pods) {
                shapes.add(FgdView.pod(p.requests(), p.initContainerCount(), ref));
              }
              return TargetWorkload.fromPods(shapes);
            });
    return new PlanContext(options, Optional.of(new Fragmentation(t)));
  }

  /**
   * The solution's placements, booked one by one in batch order on {@code snapshot} with the
   * engine's fit re-run before each.
   *
   * @throws IllegalStateException when a pod does not fit where the solver put it (a bug: the hard
   *     score said it does)
   */
  static List<Placement> verified(PlacementSolution solution, ClusterSnapshot snapshot) {
    ClusterSnapshot snap = snapshot;
    var out = new ArrayList<Placement>(solution.pods().size());
    for (PodSlot s : solution.pods()) {
      String node = s.getNode().name();
      List<DeviceUsage> usage = snap.node(node).orElseThrow().usage();
      NodeEvaluator.Outcome o = NodeEvaluator.evaluate(s.plan(), s.getNode().node(), usage);
      if (!(o instanceof NodeEvaluator.Placed placed)) {
        throw new IllegalStateException(
            "plan puts "
                + s.pod().key()
                + " on "
                + node
                + " but the engine rejects it there: "
                + ((NodeEvaluator.Rejected) o).reason());
      }
      Placement p =
          new Placement(
              s.pod().key(), s.pod().uid(), node, s.plan().initCount(), placed.containers());
      snap = snap.assume(p);
      out.add(p);
    }
    return List.copyOf(out);
  }
}
