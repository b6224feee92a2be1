package dev.tessera.sim.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code tessera bench} run: builds the cases of the chosen policies plus the extender's, times
 * each in turn and reports progress (case, estimated time left) on {@code progress}.
 */
public final class BenchRun {
  private final int nodes;
  private final long seed;
  private final Duration warmup;
  private final Duration measure;
  private final List<String> policies;
  private final PrintWriter progress;

  /**
   * @param policies names from {@link BenchCases#POLICIES}, timed in this order
   * @param progress where a line per case goes (stderr for the CLI)
   */
  public BenchRun(
      int nodes,
      long seed,
      Duration warmup,
      Duration measure,
      List<String> policies,
      PrintWriter progress) {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be >= 1, got " + nodes);
    }
    for (String p : policies) {
      if (!BenchCases.POLICIES.contains(p)) {
        throw new IllegalArgumentException("no oracle for policy " + p);
      }
    }
    this.nodes = nodes;
    this.seed = seed;
    this.warmup = warmup;
    this.measure = measure;
    this.policies = List.copyOf(policies);
    this.progress = progress;
  }

  /** Runs every case; the report's rows are in run order. */
  public BenchReport run() {
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    progress.printf(
        Locale.ROOT,
        "bench: building the seeded cluster (%d nodes x %d GPUs) and compiling %s%n",
        nodes,
        BenchCluster.GPUS_PER_NODE,
        String.join(", ", policies));
    progress.flush();
    var factory = new BenchCases(nodes, seed);
    var cases = new ArrayList<BenchCase>();
    for (String p : policies) {
      cases.addAll(factory.policy(p));
    }
    cases.addAll(factory.extender());
    var timer = new CaseTimer(warmup, measure);
    double perCase = (warmup.toNanos() + measure.toNanos()) / 1e9;
    var results = new ArrayList<CaseResult>(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      BenchCase c = cases.get(i);
      progress.printf(
          Locale.ROOT,
          "bench: [%d/%d] %s (%.1f s warm-up + %.1f s), about %.0f s left%n",
          i + 1,
          cases.size(),
          c.name(),
          warmup.toNanos() / 1e9,
          measure.toNanos() / 1e9,
          perCase * (cases.size() - i));
      progress.flush();
      results.add(timer.time(c));
    }
    var settings =
        new BenchReport.Settings(
            nodes,
            seed,
            warmup.toNanos() / 1e9,
            measure.toNanos() / 1e9,
            policies,
            started.toString(),
            Runtime.getRuntime().availableProcessors(),
            load,
            Runtime.version().toString());
    return BenchReport.of(settings, results);
  }
}
