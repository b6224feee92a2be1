package dev.tessera.sim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of a {@code tessera bench} run: one row per case with its percentiles in microseconds
 * and its ratios to its oracle's p50 and p99, as a text table and as JSON.
 *
 * @param settings what was run (nodes, seed, times, policies, date, machine)
 * @param rows one per case, in run order
 */
public record BenchReport(Settings settings, List<Row> rows) {

  /**
   * @param nodes seeded nodes (8 GPUs each)
   * @param seed the cluster's seed
   * @param warmupSeconds warm-up per case
   * @param secondsPerCase measuring time per case
   * @param policies the policies timed
   * @param date when the run started (ISO-8601, UTC)
   * @param processors processors the JVM saw
   * @param loadAverage the system load average over the last minute at the start, or -1
   * @param jvm the Java runtime's version
   */
  public record Settings(
      int nodes,
      long seed,
      double warmupSeconds,
      double secondsPerCase,
      List<String> policies,
      String date,
      int processors,
      double loadAverage,
      String jvm) {}

  /**
   * One case's row; times in microseconds.
   *
   * @param ratioP50 p50 over the oracle's p50, null when the oracle was not measured
   * @param ratioP99 p99 over the oracle's p99, null likewise
   * @param checked calls whose node was compared with the oracle's (0: not checked)
   */
  public record Row(
      String name,
      String policy,
      String path,
      String scenario,
      long calls,
      double p50Micros,
      double p90Micros,
      double p99Micros,
      double opsPerSecond,
      Double ratioP50,
      Double ratioP99,
      long checked,
      long disagreements,
      String firstDisagreement) {}

  public BenchReport {
    rows = List.copyOf(rows);
  }

  /** The report of {@code results}, ratios against each case's oracle case among them. */
  public static BenchReport of(Settings settings, List<CaseResult> results) {
    Map<String, CaseResult> byName = new HashMap<>();
    for (CaseResult r : results) {
      byName.put(r.benchCase().name(), r);
    }
    var rows = new ArrayList<Row>(results.size());
    for (CaseResult r : results) {
      BenchCase c = r.benchCase();
      CaseResult oracle = byName.get(c.oracle());
      rows.add(
          new Row(
              c.name(),
              c.policy(),
              c.path(),
              c.scenario(),
              r.calls(),
              micros(r.p50Nanos()),
              micros(r.p90Nanos()),
              micros(r.p99Nanos()),
              r.opsPerSecond(),
              oracle == null ? null : ratio(r.p50Nanos(), oracle.p50Nanos()),
              oracle == null ? null : ratio(r.p99Nanos(), oracle.p99Nanos()),
              r.checked(),
              r.disagreements(),
              r.firstDisagreement()));
    }
    return new BenchReport(settings, rows);
  }

  private static double micros(long nanos) {
    return nanos / 1000.0;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }

  /** Rows whose checked calls disagreed with the oracle. */
  public List<Row> disagreeing() {
    return rows.stream().filter(r -> r.disagreements() > 0).toList();
  }

  /** The table: case, calls, p50, p90, p99 (µs), ops/s, ratios to the oracle, checks. */
  public String table() {
    int width = "case".length();
    for (Row r : rows) {
      width = Math.max(width, r.name().length());
    }
    String head = "%-" + width + "s %9s %10s %10s %10s %9s %7s %7s %9s %8s%n";
    var out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            head,
            "case",
            "calls",
            "p50 us",
            "p90 us",
            "p99 us",
            "ops/s",
            "x p50",
            "x p99",
            "checked",
            "disagree"));
    String row = "%-" + width + "s %9d %10.1f %10.1f %10.1f %9.0f %7s %7s %9s %8s%n";
    for (Row r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              row,
              r.name(),
              r.calls(),
              r.p50Micros(),
              r.p90Micros(),
              r.p99Micros(),
              r.opsPerSecond(),
              ratioText(r.ratioP50()),
              ratioText(r.ratioP99()),
              r.checked() == 0 ? "-" : Long.toString(r.checked()),
              r.checked() == 0 ? "-" : Long.toString(r.disagreements())));
    }
    return out.toString();
  }

  private static String ratioText(Double ratio) {
    return ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  /** Writes the report as indented JSON: {@code {"settings": …, "rows": [ … ]}}. */
  public void writeJson(Writer out) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, this);
  }
}
