package dev.tessera.sim.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tessera.sim.run.PodClass;
import dev.tessera.sim.run.PolicyRun;
import dev.tessera.sim.run.SimEvent;
import dev.tessera.sim.run.SimulationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the outputs of {@code tessera simulate} into one directory (docs/user-guide.md, "simulate
 * outputs"): {@code events-<policy>.csv} per policy, {@code summary.json} and {@code report.html}.
 *
 * <p>Atomic: everything is first written to a temporary directory beside the target. A target that
 * does not exist, or holds only files this writer produces, is then replaced as a whole by renames,
 * so it is never seen half-written. A target holding other files too (e.g. {@code --out .}) gets
 * each output file replaced atomically, and its other files are left alone.
 */
public final class OutputWriter {
  /** Name of the summary file. */
  public static final String SUMMARY = "summary.json";

  /** Name of the report file. */
  public static final String REPORT = "report.html";

  /** The {@code format} value of {@code summary.json}. */
  public static final String SUMMARY_FORMAT = "tessera-summary/v1";

  private static final Pattern OWN_FILE =
      Pattern.compile("events-[A-Za-z0-9._-]+\\.csv|summary\\.json|report\\.html");

  private OutputWriter() {}

  /** Writes {@code result} into {@code outDir}, comparing against the first policy. */
  public static void write(SimulationResult result, Path outDir) {
    write(result, outDir, null);
  }

  /**
   * Writes {@code result} into {@code outDir}; {@code baseline} names the policy "GPUs saved" is
   * measured against (null: the first policy).
   *
   * @throws IllegalArgumentException when there is no run or {@code baseline} is not one of the
   *     simulated policies
   */
  public static void write(SimulationResult result, Path outDir, String baseline) {
    List<PolicyRun> runs = result.runs();
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("nothing to write: the simulation has no policy run");
    }
    int baseIndex = baselineIndex(runs, baseline);
    List<RunSummary> summaries = runs.stream().map(RunSummary::of).toList();
    List<String> eventFiles = eventFileNames(runs);
    Path target = outDir.toAbsolutePath().normalize();
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new IllegalArgumentException(
          "--out " + outDir + ": exists and is not a directory; expected a directory to write to");
    }
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = AtomicFiles.createSiblingDirectory(target, ".tmp");
      for (int i = 0; i < runs.size(); i++) {
        Path f = tmp.resolve(eventFiles.get(i));
        PolicyRun run = runs.get(i);
        AtomicFiles.write(f, out -> writeEvents(run, out));
      }
      Map<String, Object> summary = summaryJson(result, summaries, eventFiles, baseIndex);
      AtomicFiles.write(
          tmp.resolve(SUMMARY),
          out ->
              new ObjectMapper()
                  .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                  .writerWithDefaultPrettyPrinter()
                  .writeValue(out, summary));
      String html = HtmlReport.render(result, summaries, baseIndex);
      AtomicFiles.write(tmp.resolve(REPORT), out -> out.write(html));
      publish(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write outputs to " + outDir + ": " + e.getMessage(), e);
    } finally {
      AtomicFiles.deleteQuietly(tmp);
    }
  }

  /** {@code events-<policy>.csv} per run: the policy's file name made safe, made unique. */
  public static List<String> eventFileNames(List<PolicyRun> runs) {
    List<String> names = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (PolicyRun r : runs) {
      String p = r.policy();
      int slash = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
      String base = p.substring(slash + 1).replaceAll("[^A-Za-z0-9._-]", "_");
      if (base.isEmpty() || base.startsWith(".")) {
        base = "policy" + base;
      }
      String name = "events-" + base + ".csv";
      for (int k = 2; !used.add(name); k++) {
        name = "events-" + base + "-" + k + ".csv";
      }
      names.add(name);
    }
    return names;
  }

  private static int baselineIndex(List<PolicyRun> runs, String baseline) {
    if (baseline == null) {
      return 0;
    }
    List<String> names = runs.stream().map(PolicyRun::policy).toList();
    int i = names.indexOf(baseline);
    if (i < 0) {
      throw new IllegalArgumentException(
          "--baseline " + baseline + ": expected one of the simulated policies " + names);
    }
    return i;
  }

  /** Moves the finished temporary directory's files into place (class comment). */
  private static void publish(Path tmp, Path target) throws IOException {
    if (!Files.exists(target)) {
      AtomicFiles.move(tmp, target);
      return;
    }
    boolean onlyOurs;
    try (var s = Files.list(target)) {
      onlyOurs =
          s.allMatch(
              p ->
                  Files.isRegularFile(p) && OWN_FILE.matcher(p.getFileName().toString()).matches());
    }
    if (onlyOurs) {
      Path old = AtomicFiles.siblingName(target, ".old");
      AtomicFiles.move(target, old);
      AtomicFiles.move(tmp, target);
      AtomicFiles.deleteQuietly(old);
      return;
    }
    List<Path> files;
    try (var s = Files.list(tmp)) {
      files = s.sorted().toList();
    }
    for (Path f : files) {
      AtomicFiles.move(f, target.resolve(f.getFileName().toString()));
    }
    Files.delete(tmp);
  }

  /** CSV header of the events files. */
  public static List<String> eventColumns() {
    List<String> cols =
        new ArrayList<>(
            List.of(
                "seq",
                "time",
                "kind",
                "pod",
                "class",
                "node",
                "gpus",
                "arrived_milli",
                "allocated_milli",
                "frag_milli",
                "idle_milli",
                "fully_idle_gpus"));
    for (PodClass c : PodClass.values()) {
      cols.add("pending_" + c.label());
    }
    cols.add("wait_s");
    return cols;
  }

  private static void writeEvents(PolicyRun run, Writer out) throws IOException {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    for (String c : eventColumns()) {
      schema.addColumn(c);
    }
    CsvMapper csv = new CsvMapper();
    csv.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    int classes = PodClass.values().length;
    try (SequenceWriter w = csv.writer(schema.build()).writeValues(out)) {
      Object[] row = new Object[12 + classes + 1];
      for (SimEvent e : run.events()) {
        row[0] = e.seq();
        row[1] = e.time();
        row[2] = e.kind().name().toLowerCase(Locale.ROOT);
        row[3] = e.pod();
        row[4] = e.podClass().label();
        row[5] = e.node();
        row[6] = e.gpus();
        row[7] = e.arrivedMilli();
        row[8] = e.allocatedMilli();
        row[9] = e.fragMilli();
        row[10] = e.idleMilli();
        row[11] = e.fullyIdleGpus();
        int[] p = e.pendingByClass();
        for (int k = 0; k < classes; k++) {
          row[12 + k] = k < p.length ? p[k] : 0;
        }
        row[12 + classes] = e.waitSeconds();
        w.write(row);
      }
    }
  }

  private static Map<String, Object> summaryJson(
      SimulationResult result, List<RunSummary> summaries, List<String> files, int baseIndex) {
    RunSummary base = summaries.get(baseIndex);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", SUMMARY_FORMAT);
    root.put("trace", result.trace());
    root.put("mode", result.mode());
    root.put("skipped_rows", result.skippedRows());
    root.put("baseline", base.policy());
    root.put("checkpoint_columns", RunSummary.CHECKPOINTS);
    List<Object> policies = new ArrayList<>();
    for (int i = 0; i < summaries.size(); i++) {
      RunSummary s = summaries.get(i);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("policy", s.policy());
      p.put("seed", s.seed());
      p.put("events_file", files.get(i));
      p.put("events", s.events());
      p.put("total_gpus", s.totalGpus());
      p.put("wall_ms", s.wallMillis());
      Map<String, Object> fin = new LinkedHashMap<>();
      fin.put("arrived_pct", num(s.finalArrivedPct()));
      fin.put("alloc_pct", num(s.finalAllocPct()));
      fin.put("frag_amount_pct_of_capacity", num(s.finalFragPct()));
      fin.put("frag_ratio_pct", num(s.finalFragRatioPct()));
      fin.put("fully_idle_gpus", s.finalFullyIdleGpus());
      fin.put("allocated_milli", s.allocatedMilli());
      p.put("final", fin);
      Map<String, Object> cps = new LinkedHashMap<>();
      for (String metric : List.of("alloc_pct", "frag_amount_pct_of_capacity", "frag_ratio_pct")) {
        Map<String, Object> byX = new LinkedHashMap<>();
        Map<Integer, Double> values = s.checkpoints().getOrDefault(metric, Map.of());
        for (int x : RunSummary.CHECKPOINTS) {
          Double v = values.get(x);
          byX.put(Integer.toString(x), v == null ? null : num(v));
        }
        cps.put(metric, byX);
      }
      p.put("checkpoints", cps);
      p.put("placed", byClass(s.placed()));
      p.put("dropped", byClass(s.dropped()));
      p.put("pending", byClass(s.pendingAtEnd()));
      p.put("gpus_saved_vs_baseline", s.gpusSavedVs(base));
      RunSummary.Waits w = s.waits();
      if (w == null) {
        p.put("wait_s", null);
      } else {
        Map<String, Object> wm = new LinkedHashMap<>();
        wm.put("placed", w.placed());
        wm.put("waited", w.waited());
        wm.put("mean", num(w.mean()));
        wm.put("p50", num(w.p50()));
        wm.put("p99", num(w.p99()));
        wm.put("max", num(w.max()));
        p.put("wait_s", wm);
      }
      policies.add(p);
    }
    root.put("policies", policies);
    return root;
  }

  private static Map<String, Integer> byClass(Map<PodClass, Integer> m) {
    Map<String, Integer> out = new LinkedHashMap<>();
    m.forEach((c, n) -> out.put(c.label(), n));
    return out;
  }

  /** JSON has no NaN: missing values are null. */
  private static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
