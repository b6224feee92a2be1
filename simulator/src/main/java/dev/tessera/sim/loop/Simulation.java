package dev.tessera.sim.loop;

import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.policies.drl.Policy;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.sim.run.PolicyRun;
import dev.tessera.sim.run.SimulationResult;
import dev.tessera.sim.trace.TraceNode;
import dev.tessera.sim.trace.TracePod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs several policies over the same workload, each on its own cluster snapshot and thread (at
 * most {@code threads} at once), and collects their runs in the order the policies were given.
 *
 * @param traceName the trace as the user named it, for the result
 * @param mode {@code arrivals} or {@code timed}
 * @param nodesByRank nodes, earlier wins a score tie
 * @param originals the trace's own pods (before tuning): the FGD target workload is built from them
 *     (policies.md §6.1)
 * @param sequence the pods to replay: the arrival sequence, or every pod for {@code timed}
 * @param seed the run's seed (Random's draws)
 * @param maxPods pods a node admits
 * @param threads policies run at once
 * @param skippedRows bad rows skipped when reading the trace
 */
public record Simulation(
    String traceName,
    String mode,
    List<TraceNode> nodesByRank,
    List<TracePod> originals,
    List<TracePod> sequence,
    long seed,
    int maxPods,
    int threads,
    int skippedRows) {
  public static final String ARRIVALS = "arrivals";
  public static final String TIMED = "timed";

  /**
   * Built-in policies whose rules read only the FGD scores and draw nothing, so identical nodes may
   * be sent once ({@link PolicyLoop}); user DRL files and {@code random} always see every node.
   */
  public static final java.util.Set<String> COLLAPSIBLE =
      java.util.Set.of(
          PolicyRegistry.DOTPROD,
          PolicyRegistry.GPU_CLUSTERING,
          PolicyRegistry.GPU_PACKING,
          PolicyRegistry.BESTFIT,
          PolicyRegistry.FGD);

  public Simulation {
    if (!mode.equals(ARRIVALS) && !mode.equals(TIMED)) {
      throw new IllegalArgumentException("mode must be arrivals or timed, got " + mode);
    }
    nodesByRank = List.copyOf(nodesByRank);
    originals = List.copyOf(originals);
    sequence = List.copyOf(sequence);
  }

  /** The FGD target workload of {@link #originals}, shared (immutable) by every run. */
  public Fragmentation fragmentation() {
    var w = new ArrayList<FgdPod>(originals.size());
    for (TracePod p : originals) {
      w.add(EngineMapping.shape(p));
    }
    return new Fragmentation(TargetWorkload.fromPods(w));
  }

  /**
   * Runs every policy of {@code policies} (built-in names or DRL paths, resolved by {@code
   * registry}).
   *
   * @throws dev.tessera.policies.drl.PolicyCompileException when a DRL file does not compile
   */
  public SimulationResult run(List<String> policies, PolicyRegistry registry) {
    return run(policies, registry, RunProgress.Factory.NONE);
  }

  /**
   * {@link #run(List, PolicyRegistry)}, each run reporting to its own {@code progress.start(policy,
   * sequence size)}.
   */
  public SimulationResult run(
      List<String> policies, PolicyRegistry registry, RunProgress.Factory progress) {
    Fragmentation frag = fragmentation();
    List<Policy> compiled = new ArrayList<>();
    for (String p : policies) {
      compiled.add(registry.resolve(p));
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(threads, policies.size())));
    try {
      List<Future<PolicyRun>> futures = new ArrayList<>();
      for (int k = 0; k < policies.size(); k++) {
        String name = policies.get(k);
        Policy policy = compiled.get(k);
        RunProgress p = progress.start(name, sequence.size());
        futures.add(pool.submit(() -> runOne(name, policy, frag, p)));
      }
      List<PolicyRun> runs = new ArrayList<>();
      for (Future<PolicyRun> f : futures) {
        runs.add(f.get());
      }
      return new SimulationResult(traceName, mode, runs, skippedRows);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("simulation interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** One policy's run on this thread. */
  public PolicyRun runOne(String name, Policy policy, Fragmentation frag) {
    return runOne(name, policy, frag, RunProgress.NONE);
  }

  /** One policy's run on this thread, reporting to {@code progress}. */
  public PolicyRun runOne(String name, Policy policy, Fragmentation frag, RunProgress progress) {
    boolean collapse = COLLAPSIBLE.contains(name);
    var loop = new PolicyLoop(name, policy.scorer(), nodesByRank, frag, seed, maxPods, collapse);
    return mode.equals(ARRIVALS)
        ? loop.runArrivals(sequence, progress)
        : loop.runTimed(sequence, progress);
  }
}
