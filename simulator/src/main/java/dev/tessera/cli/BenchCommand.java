package dev.tessera.cli;

import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.sim.bench.BenchCases;
import dev.tessera.sim.bench.BenchCluster;
import dev.tessera.sim.bench.BenchReport;
import dev.tessera.sim.bench.BenchRun;
import dev.tessera.sim.output.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tessera bench}: a quick latency report of each decision path against its oracle. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Time one scheduling decision per path on a seeded cluster (NODES nodes x 8 A100-80GB, about"
          + " half the GPUs partly used) for a pending 1-GPU share pod (8000 MiB, 30 %% cores) and"
          + " along a placement sequence (each step places the previous pod where the oracle put"
          + " it): the plain-Java oracle, the DRL policy (warm sessions, as the product runs it)"
          + " and the extender's filter+prioritize in-process (HAMi ranking; the same pod, cache"
          + " warm, and a new pod shape each call, uncached).",
      "Prints p50/p90/p99 in microseconds, ops/s and the ratios to the oracle's p50 and p99, and"
          + " checks every measured DRL choice against the oracle's. OptaPlanner's constraints are"
          + " not timed: they score whole plans, not one pod's node choice.",
      "System.nanoTime around each call after a warm-up: a quick report for your machine. JMH in"
          + " benchmarks/ is the precise tool.",
      "Exit code 0: report printed; 1: a DRL choice disagreed with the oracle (cases named on"
          + " stderr); 2: bad input."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--nodes",
      defaultValue = "1000",
      paramLabel = "N",
      description = "Nodes of the seeded cluster, 8 GPUs each (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--policies",
      defaultValue = "binpack,fgd",
      paramLabel = "LIST",
      description =
          "Comma-separated policies to time, or all: binpack, spread, fgd, bestfit, dotprod,"
              + " gpu-packing (default: ${DEFAULT-VALUE}).")
  String policies;

  @Option(
      names = "--seconds-per-case",
      defaultValue = "3",
      paramLabel = "S",
      description = "Measuring time per case, seconds (default: ${DEFAULT-VALUE}).")
  double secondsPerCase;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "2",
      paramLabel = "S",
      description = "Warm-up per case before measuring, seconds (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--seed",
      defaultValue = "" + BenchCluster.SEED,
      paramLabel = "SEED",
      description = "Seed of the cluster generator (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the results as JSON to FILE (written atomically).")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1) {
      throw new ParameterException(spec.commandLine(), "--nodes must be 1 or more, got " + nodes);
    }
    if (!(secondsPerCase > 0) || secondsPerCase > 3600) {
      throw new ParameterException(
          spec.commandLine(),
          "--seconds-per-case must be above 0 and at most 3600, got " + secondsPerCase);
    }
    if (!(warmupSeconds >= 0) || warmupSeconds > 3600) {
      throw new ParameterException(
          spec.commandLine(), "--warmup-seconds must be 0 to 3600, got " + warmupSeconds);
    }
    List<String> chosen = parsePolicies();
    PrintWriter err = spec.commandLine().getErr();
    var run =
        new BenchRun(nodes, seed, seconds(warmupSeconds), seconds(secondsPerCase), chosen, err);
    BenchReport report = run.run();
    PrintWriter out = spec.commandLine().getOut();
    BenchReport.Settings s = report.settings();
    out.printf(
        Locale.ROOT,
        "tessera bench: %d nodes x 8 GPUs, seed %d, %.1f s warm-up + %.1f s per case,"
            + " %d processors, load %.2f, %s%n",
        s.nodes(),
        s.seed(),
        s.warmupSeconds(),
        s.secondsPerCase(),
        s.processors(),
        s.loadAverage(),
        s.date());
    out.print(report.table());
    out.flush();
    if (json != null) {
      AtomicFiles.write(json, report::writeJson);
      err.println("bench: wrote " + json);
    }
    List<BenchReport.Row> bad = report.disagreeing();
    if (!bad.isEmpty()) {
      for (BenchReport.Row r : bad) {
        err.printf(
            Locale.ROOT,
            "tessera bench: %s chose another node than the oracle in %d of %d calls (first: %s)%n",
            r.name(),
            r.disagreements(),
            r.checked(),
            r.firstDisagreement());
      }
      err.flush();
      return 1;
    }
    return 0;
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  /**
   * The policies named by --policies, in table order of first mention; throws on an unknown one.
   */
  private List<String> parsePolicies() {
    var out = new LinkedHashSet<String>();
    for (String raw : policies.split(",", -1)) {
      String name = raw.trim();
      if (name.equals("all")) {
        out.addAll(BenchCases.POLICIES);
      } else if (BenchCases.POLICIES.contains(name)) {
        out.add(name);
      } else {
        String why =
            new PolicyRegistry().names().contains(name)
                ? "policy \""
                    + name
                    + "\" has no plain-Java oracle outside the tests, so bench"
                    + " cannot time it"
                : "unknown policy \"" + name + "\"";
        throw new ParameterException(
            spec.commandLine(),
            "--policies: " + why + "; known: " + String.join(", ", BenchCases.POLICIES) + ", all");
      }
    }
    return new ArrayList<>(out);
  }
}
