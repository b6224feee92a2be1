package dev.tessera.cli;

import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.sim.loop.BasicOutput;
import dev.tessera.sim.loop.PolicyLoop;
import dev.tessera.sim.loop.Simulation;
import dev.tessera.sim.loop.Workloads;
import dev.tessera.sim.openb.OpenbToTrace;
import dev.tessera.sim.run.SimulationResult;
import dev.tessera.sim.trace.ArrivalOrders;
import dev.tessera.sim.trace.OpenbCsv;
import dev.tessera.sim.trace.TiebreakRanks;
import dev.tessera.sim.trace.Trace;
import dev.tessera.sim.trace.TracePod;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera simulate}: replays a trace under several policies, each decision through the
 * extender's policy path, and compares how much GPU each allocates and fragments.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Replay a cluster trace under one or more scheduling policies and compare them.",
      "Every decision goes through the engine's fit and the compiled DRL policy, as in the"
          + " extender.",
      "Exit code 0: done; 2: bad input (file:line: column and what was expected)."
    })
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--trace",
      required = true,
      paramLabel = "FILE",
      description = "Pod list: an openb pod CSV (name,cpu_milli,memory_mib,num_gpu,gpu_milli,...).")
  Path trace;

  @Option(
      names = "--nodes",
      required = true,
      paramLabel = "FILE",
      description = "Node list: an openb node CSV (sn,cpu_milli,memory_mib,gpu,model).")
  Path nodes;

  @Option(
      names = "--policy",
      split = ",",
      defaultValue = "fgd,bestfit",
      paramLabel = "POLICY",
      description =
          "Policies to compare, comma-separated: random, dotprod, gpu-clustering, gpu-packing,"
              + " bestfit, fgd, or DRL files (default: ${DEFAULT-VALUE}).")
  List<String> policies;

  @Option(
      names = "--mode",
      defaultValue = "arrivals",
      paramLabel = "MODE",
      description =
          "arrivals: the FGD experiment (ordered arrivals, nothing leaves, no fit = dropped);"
              + " timed: creation/deletion times, no fit = wait in a FIFO queue"
              + " (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "N",
      description =
          "Seed of tuning, shuffle, tie-break ranks and Random (default: ${DEFAULT-VALUE}).")
  int seed;

  @Option(
      names = "--ratio",
      defaultValue = "1.3",
      paramLabel = "R",
      description =
          "arrivals: tune the workload to R x GPU capacity before the seeded shuffle"
              + " (default: ${DEFAULT-VALUE}); ignored with --order.")
  double ratio;

  @Option(
      names = "--order",
      paramLabel = "FILE",
      description =
          "Arrival order file (seed,seq,source_pod,tuned_index; .gz allowed); the --seed's"
              + " sequence replaces tuning and shuffle.")
  Path order;

  @Option(
      names = "--tiebreak",
      paramLabel = "FILE",
      description =
          "Node tie-break rank file (node,rank_seed<S>,...); default: a seeded shuffle of the"
              + " name-sorted nodes.")
  Path tiebreak;

  @Option(
      names = "--skip-bad-rows",
      description = "Skip malformed trace rows and report how many, instead of stopping.")
  boolean skipBadRows;

  @Option(
      names = "--max-pods",
      defaultValue = "" + PolicyLoop.DEFAULT_MAX_PODS,
      paramLabel = "N",
      description = "Pods a node admits (default: ${DEFAULT-VALUE}, as in the openb runs).")
  int maxPods;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Policies run at once (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write events-<policy>.csv and summary.json here.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (!mode.equals(Simulation.ARRIVALS) && !mode.equals(Simulation.TIMED)) {
      err.println("tessera simulate: --mode must be arrivals or timed, got " + mode);
      return 2;
    }
    var podRead = OpenbCsv.readPods(trace, skipBadRows);
    var nodeRead = OpenbCsv.readNodes(nodes, skipBadRows);
    int skipped = podRead.skippedCount() + nodeRead.skippedCount();
    if (skipped > 0) {
      err.println("tessera simulate: skipped " + skipped + " bad rows");
    }
    Trace t = OpenbToTrace.trace(trace, nodeRead.rows(), podRead.rows(), skipped);
    Random rng = new Random(seed);
    long capacity = 0;
    for (var n : t.nodes()) {
      capacity += 1000L * n.gpuCount();
    }
    List<TracePod> sequence;
    if (mode.equals(Simulation.TIMED)) {
      sequence = t.pods();
    } else if (order != null) {
      sequence = Workloads.fromOrder(t.pods(), ArrivalOrders.read(order).forSeed(seed));
    } else {
      sequence = Workloads.tuned(t.pods(), capacity, ratio, rng);
    }
    Map<String, Integer> ranks =
        tiebreak != null
            ? TiebreakRanks.read(tiebreak).forSeed(seed)
            : Workloads.seededRanks(t.nodes(), rng);
    int cores = Runtime.getRuntime().availableProcessors();
    var sim =
        new Simulation(
            trace.toString(),
            mode,
            Workloads.byRank(t.nodes(), ranks),
            t.pods(),
            sequence,
            seed,
            maxPods,
            threads == null ? cores : Math.max(1, threads),
            skipped);
    SimulationResult result = sim.run(policies, new PolicyRegistry());
    if (out != null) {
      BasicOutput.write(result, out);
    }
    printTable(stdout, result);
    stdout.flush();
    return 0;
  }

  private static void printTable(PrintWriter out, SimulationResult result) {
    out.printf(
        Locale.ROOT,
        "%-16s %8s %8s %8s %8s %8s %9s%n",
        "policy",
        "placed",
        "dropped",
        "pending",
        "alloc%",
        "frag%",
        "wall s");
    for (var run : result.runs()) {
      var t = BasicOutput.Totals.of(run);
      out.printf(
          Locale.ROOT,
          "%-16s %8d %8d %8d %8.2f %8.2f %9.2f%n",
          t.policy(),
          t.placed(),
          t.dropped(),
          t.pending(),
          t.allocPct(),
          t.fragPct(),
          t.wallMillis() / 1000.0);
    }
  }
}
