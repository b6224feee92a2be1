package dev.tessera.cli;

import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.sim.loop.PolicyLoop;
import dev.tessera.sim.loop.RunProgress;
import dev.tessera.sim.loop.Simulation;
import dev.tessera.sim.loop.Workloads;
import dev.tessera.sim.output.OutputWriter;
import dev.tessera.sim.output.Progress;
import dev.tessera.sim.output.RunSummary;
import dev.tessera.sim.run.PodClass;
import dev.tessera.sim.run.SimulationResult;
import dev.tessera.sim.trace.ArrivalOrders;
import dev.tessera.sim.trace.TiebreakRanks;
import dev.tessera.sim.trace.Trace;
import dev.tessera.sim.trace.TraceLoader;
import dev.tessera.sim.trace.TracePod;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      description = {
        "The trace, by extension (optionally .gz): a native trace (.yaml, .yml, .json;"
            + " docs/trace-format.md) or an openb pod list (.csv)."
      })
  Path trace;

  @Option(
      names = "--nodes",
      paramLabel = "FILE",
      description =
          "openb node list CSV for an openb --trace (default: "
              + TraceLoader.DEFAULT_OPENB_NODES
              + " beside it).")
  Path nodes;

  @Mixin TraceReadOptions read = new TraceReadOptions();

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
      defaultValue = "tessera-out",
      paramLabel = "DIR",
      description =
          "Write events-<policy>.csv, summary.json and report.html here, replaced atomically"
              + " (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--baseline",
      paramLabel = "POLICY",
      description = "The policy \"GPUs saved\" is measured against (default: the first).")
  String baseline;

  @Option(names = "--no-progress", description = "Do not report progress on standard error.")
  boolean noProgress;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (!mode.equals(Simulation.ARRIVALS) && !mode.equals(Simulation.TIMED)) {
      err.println("tessera simulate: --mode must be arrivals or timed, got " + mode);
      return 2;
    }
    if (baseline != null && !policies.contains(baseline)) {
      err.println(
          "tessera simulate: --baseline " + baseline + " is not one of --policy " + policies);
      return 2;
    }
    Trace t =
        TraceLoader.load(
            trace,
            nodes,
            read.openbConverter(),
            read.skipBadRows,
            TraceReadOptions.skipPrinter(err));
    if (t.skippedRows() > 0) {
      err.println("tessera simulate: skipped " + t.skippedRows() + " bad rows");
    }
    Random rng = new Random(seed);
    List<TracePod> sequence;
    if (mode.equals(Simulation.TIMED)) {
      sequence = t.pods();
    } else if (order != null) {
      sequence = Workloads.fromOrder(t.pods(), ArrivalOrders.read(order).forSeed(seed));
    } else {
      sequence = Workloads.tuned(t.pods(), t.nodes(), ratio, rng);
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
            t.skippedRows());
    SimulationResult result;
    var registry = new PolicyRegistry();
    if (noProgress) {
      result = sim.run(policies, registry);
    } else {
      err.flush();
      try (var progress =
          new Progress(err, System.console() != null, System::nanoTime, "simulate")) {
        result = sim.run(policies, registry, (policy, pods) -> taskOf(progress, policy, pods));
      }
    }
    OutputWriter.write(result, out, baseline);
    printTable(stdout, result);
    stdout.println("wrote " + out.resolve(OutputWriter.REPORT));
    stdout.flush();
    err.flush();
    return 0;
  }

  private static RunProgress taskOf(Progress progress, String policy, int pods) {
    Progress.Task task = progress.task(policy, pods);
    return new RunProgress() {
      @Override
      public void advance() {
        task.advance();
      }

      @Override
      public void finish() {
        task.finish();
      }
    };
  }

  private void printTable(PrintWriter o, SimulationResult result) {
    List<RunSummary> summaries = result.runs().stream().map(RunSummary::of).toList();
    RunSummary base =
        summaries.stream()
            .filter(s -> s.policy().equals(baseline))
            .findFirst()
            .orElse(summaries.get(0));
    o.printf(
        Locale.ROOT,
        "%-16s %8s %8s %8s %8s %8s %16s %9s%n",
        "policy",
        "placed",
        "dropped",
        "pending",
        "alloc%",
        "frag%",
        "saved vs " + base.policy(),
        "wall s");
    for (RunSummary s : summaries) {
      o.printf(
          Locale.ROOT,
          "%-16s %8d %8d %8d %8.2f %8.2f %16.1f %9.2f%n",
          s.policy(),
          count(s.placed()),
          count(s.dropped()),
          count(s.pendingAtEnd()),
          s.finalAllocPct(),
          s.finalFragPct(),
          s.gpusSavedVs(base),
          s.wallMillis() / 1000.0);
    }
  }

  private static int count(Map<PodClass, Integer> byClass) {
    return byClass.values().stream().mapToInt(Integer::intValue).sum();
  }
}
