package dev.tessera.policies.plan;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.policies.facts.FgdShares;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.optaplanner.core.api.score.stream.ConstraintStreamImplType;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.score.director.ScoreDirectorFactoryConfig;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;

/**
 * Proposes which running sharing pods to move so that whole GPUs become free, with the FGD
 * fragmentation before and after (OptaPlanner over {@link DefragConstraints}).
 *
 * <p>A movable pod is a running pod holding a share (less than 1000 milli-GPU, see {@link FgdView})
 * of exactly one non-MIG GPU, without init containers. When it moves it is re-fitted by the engine
 * with a request for exactly what it holds (count, MiB, cores); the snapshot keeps no annotations,
 * so selectors the pod had (GPU type, NUMA) are not re-checked.
 */
public final class DefragPlanner {
  private final Engine.Options options;

  /** A planner fitting moved pods with {@code options}' GPU policy. */
  public DefragPlanner(Engine.Options options) {
    this.options = options;
  }

  /**
   * A planner that fits moved pods with GPU binpack, so a moved pod joins a GPU already in use
   * rather than taking an idle one (HAMi's default GPU spread would undo the plan's purpose).
   */
  public DefragPlanner() {
    this(new Engine.Options("binpack", "binpack"));
  }

  /**
   * A plan against the target workload made of the running pods themselves (the paper's default:
   * the workload is what runs).
   */
  public DefragPlan plan(ClusterSnapshot snapshot, int maxMoves, Duration limit) {
    var shapes = new ArrayList<FgdPod>();
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      for (CachedPod p : s.pods()) {
        shapes.add(FgdView.pod(p, s.usage()));
      }
    }
    if (shapes.isEmpty()) {
      return new DefragPlan(List.of(), 0, 0, 0);
    }
    return plan(snapshot, TargetWorkload.fromPods(shapes), maxMoves, limit);
  }

  /**
   * A plan moving at most {@code maxMoves} pods, searched for at most {@code limit}.
   *
   * @throws IllegalArgumentException when {@code maxMoves} is negative or {@code limit} is not
   *     positive
   */
  public DefragPlan plan(
      ClusterSnapshot snapshot, TargetWorkload workload, int maxMoves, Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("time limit must be positive, got " + limit);
    }
    var settings = new DefragSettings(maxMoves);
    var context = new PlanContext(options, Optional.of(new Fragmentation(workload)));
    DefragSolution problem = problem(snapshot, context, settings);
    DefragSolution best = problem;
    if (maxMoves > 0 && !problem.pods().isEmpty()) {
      int unimproved = Math.max(1_000, 50 * problem.pods().size());
      best =
          SolverFactory.<DefragSolution>create(solverConfig(limit, unimproved))
              .buildSolver()
              .solve(problem);
    }
    var wanted = new ArrayList<MoveSlot>();
    if (best.score() == null || best.score().hardScore().signum() == 0) {
      for (MoveSlot s : best.pods()) {
        if (s.moved()) {
          wanted.add(s);
        }
      }
    }
    return sequence(snapshot, context.requireFragmentation(), wanted);
  }

  /** Solver configuration: local search from "nothing moves", Bavet, reproducible. */
  static SolverConfig solverConfig(Duration limit, int unimprovedSteps) {
    return new SolverConfig()
        .withSolutionClass(DefragSolution.class)
        .withEntityClasses(MoveSlot.class)
        .withEnvironmentMode(EnvironmentMode.REPRODUCIBLE)
        .withScoreDirectorFactory(
            new ScoreDirectorFactoryConfig()
                .withConstraintProviderClass(DefragConstraints.class)
                .withConstraintStreamImplType(ConstraintStreamImplType.BAVET))
        .withPhases(
            new LocalSearchPhaseConfig()
                .withTerminationConfig(
                    new TerminationConfig()
                        .withUnimprovedStepCountLimit(unimprovedSteps)
                        .withUnimprovedSpentLimit(PlanPolicies.unimprovedTime(limit))))
        .withTerminationConfig(new TerminationConfig().withSpentLimit(limit));
  }

  /** The problem: movable pods taken off every node (base usage), each placed back on its node. */
  DefragSolution problem(ClusterSnapshot snapshot, PlanContext context, DefragSettings settings) {
    record Movable(String key, List<List<ContainerDevice>> containers, int node) {}
    var movable = new ArrayList<Movable>();
    ClusterSnapshot base = snapshot;
    List<ClusterSnapshot.NodeState> states = snapshot.nodes();
    for (int i = 0; i < states.size(); i++) {
      ClusterSnapshot.NodeState s = states.get(i);
      for (CachedPod p : s.pods()) {
        List<List<ContainerDevice>> containers = sharingContainers(p, s.usage());
        if (containers != null) {
          movable.add(new Movable(p.key(), containers, i));
          base = base.forget(p.key());
        }
      }
    }
    var nodes = new ArrayList<PlanNode>(states.size());
    for (int i = 0; i < states.size(); i++) {
      ClusterSnapshot.NodeState b = base.nodes().get(i);
      nodes.add(new PlanNode(i, b.node(), b.usage(), b.pods(), states.get(i).usage(), context));
    }
    var slots = new ArrayList<MoveSlot>(movable.size());
    for (int m = 0; m < movable.size(); m++) {
      Movable mv = movable.get(m);
      PodPlan plan =
          PodPlan.of(request(mv.key(), mv.containers()), options.defaultGpuPolicy(), null);
      PlanNode origin = nodes.get(mv.node());
      var candidates = new ArrayList<PlanNode>();
      for (PlanNode n : nodes) {
        if (n == origin
            || NodeEvaluator.evaluate(plan, n.node(), n.base()) instanceof NodeEvaluator.Placed) {
          candidates.add(n);
        }
      }
      slots.add(new MoveSlot(m, mv.key(), mv.containers(), plan, origin, candidates));
    }
    return new DefragSolution(nodes, settings, slots);
  }

  /**
   * The pod's containers when it is movable: no init containers, no MIG, one GPU held in part; else
   * null.
   */
  private static List<List<ContainerDevice>> sharingContainers(
      CachedPod pod, List<DeviceUsage> usage) {
    if (pod.initContainerCount() != 0 || !pod.migReservations().isEmpty()) {
      return null;
    }
    if (pod.devices().size() != 1 || !pod.devices().containsKey(GpuRequest.NVIDIA)) {
      return null;
    }
    List<List<ContainerDevice>> containers = pod.devices().get(GpuRequest.NVIDIA);
    ContainerDevice only = null;
    for (List<ContainerDevice> c : containers) {
      for (ContainerDevice d : c) {
        if (only != null) {
          return null;
        }
        only = d;
      }
    }
    if (only == null || only.mig().isPresent()) {
      return null;
    }
    for (DeviceUsage d : usage) {
      if (d.id().equals(only.uuid())) {
        boolean share = FgdShares.shareMilli(d, only.usedMemMiB(), only.usedCores()) < 1000;
        return share && !d.device().isMig() ? containers : null;
      }
    }
    return null;
  }

  /** A request for exactly what {@code containers} hold, so a moved pod books the same amounts. */
  static PodRequest request(String key, List<List<ContainerDevice>> containers) {
    int slash = key.indexOf('/');
    String ns = slash < 0 ? "" : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    var names = new ArrayList<String>();
    var reqs = new ArrayList<GpuRequest>();
    for (int c = 0; c < containers.size(); c++) {
      names.add("c" + c);
      List<ContainerDevice> devs = containers.get(c);
      if (devs.isEmpty()) {
        reqs.add(GpuRequest.NONE);
      } else {
        ContainerDevice d = devs.get(0);
        reqs.add(
            new GpuRequest(
                devs.size(),
                GpuRequest.NVIDIA,
                d.usedMemMiB(),
                GpuRequest.PERCENT_UNSET,
                d.usedCores()));
      }
    }
    return new PodRequest(ns, name, "", Map.of(), names, 0, reqs);
  }

  /**
   * Makes the wanted moves on the snapshot in an order where each fits, then keeps the best prefix.
   *
   * <p>Order: repeatedly the first pending move (index order) whose target fits now and that no
   * pending move still leaves; that is the order the constraints assume (a node's movable pods are
   * gone before others move in, and these are fitted in index order), so the engine picks the same
   * devices. When swaps make that impossible, the first pending move that fits now. Moves that fit
   * in no order are left out.
   *
   * <p>Prefix: because the realised devices can then differ from the plan's, the figures are
   * recomputed after every move and the plan is cut after the move with the most GPUs freed (then
   * least fragmentation, then fewest moves); a prefix of valid moves is valid, and the empty one
   * frees nothing, so a returned plan never leaves the cluster worse off on both counts.
   */
  private DefragPlan sequence(ClusterSnapshot snapshot, Fragmentation frag, List<MoveSlot> wanted) {
    double fragBefore = fragmentation(snapshot, frag);
    int idleBefore = wholeIdle(snapshot);
    ClusterSnapshot snap = snapshot;
    var pending = new ArrayList<>(wanted);
    var moves = new ArrayList<DefragPlan.Move>();
    int bestLength = 0;
    int bestFreed = 0;
    double bestFrag = fragBefore;
    while (!pending.isEmpty()) {
      Step step = next(snap, pending, true);
      if (step == null) {
        step = next(snap, pending, false);
      }
      if (step == null) {
        break;
      }
      snap = step.after();
      pending.remove(step.slot());
      if (step.move() == null) {
        continue;
      }
      moves.add(step.move());
      int freed = wholeIdle(snap) - idleBefore;
      double f = fragmentation(snap, frag);
      if (freed > bestFreed || (freed == bestFreed && f < bestFrag)) {
        bestLength = moves.size();
        bestFreed = freed;
        bestFrag = f;
      }
    }
    return new DefragPlan(moves.subList(0, bestLength), fragBefore, bestFrag, bestFreed);
  }

  /** A move made: the slot, the move (null when nothing changes) and the snapshot after it. */
  private record Step(MoveSlot slot, DefragPlan.Move move, ClusterSnapshot after) {}

  /**
   * The first pending move that fits on {@code snap} now; with {@code drainedFirst}, only moves
   * into nodes that no pending move still leaves. Null when there is none.
   */
  private static Step next(ClusterSnapshot snap, List<MoveSlot> pending, boolean drainedFirst) {
    for (MoveSlot s : pending) {
      if (drainedFirst && pending.stream().anyMatch(o -> o != s && o.origin() == s.getTarget())) {
        continue;
      }
      ClusterSnapshot without = snap.forget(s.podKey());
      ClusterSnapshot.NodeState target = without.node(s.getTarget().name()).orElseThrow();
      NodeEvaluator.Outcome o = NodeEvaluator.evaluate(s.plan(), target.node(), target.usage());
      if (o instanceof NodeEvaluator.Placed p) {
        String to = target.node().name();
        if (s.getTarget() == s.origin() && sameDevices(p.containers(), s.containers())) {
          // re-fitted onto the very devices it holds: nothing to do, no move to report
          return new Step(s, null, snap);
        }
        return new Step(
            s,
            new DefragPlan.Move(s.podKey(), s.origin().name(), to, p.containers()),
            without.assume(new Placement(s.podKey(), "", to, 0, p.containers())));
      }
    }
    return null;
  }

  /** Same GPUs and amounts per container (decoded allocations carry no GPU index). */
  private static boolean sameDevices(List<List<ContainerDevice>> a, List<List<ContainerDevice>> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int c = 0; c < a.size(); c++) {
      List<ContainerDevice> x = a.get(c);
      List<ContainerDevice> y = b.get(c);
      if (x.size() != y.size()) {
        return false;
      }
      for (int d = 0; d < x.size(); d++) {
        ContainerDevice p = x.get(d);
        ContainerDevice q = y.get(d);
        if (!p.uuid().equals(q.uuid())
            || p.usedMemMiB() != q.usedMemMiB()
            || p.usedCores() != q.usedCores()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Σ over nodes of FGD fragmentation, milli-GPU. */
  public static double fragmentation(ClusterSnapshot snapshot, Fragmentation frag) {
    double sum = 0;
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      sum += frag.nodeFrag(FgdView.node(s.node(), s.usage()));
    }
    return sum;
  }

  /** Whole idle GPUs in the cluster. */
  public static int wholeIdle(ClusterSnapshot snapshot) {
    int n = 0;
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      n += FgdView.wholeIdleCount(s.usage());
    }
    return n;
  }
}
