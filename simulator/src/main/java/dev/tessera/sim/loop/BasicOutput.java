package dev.tessera.sim.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.sim.replay.FgdMetrics;
import dev.tessera.sim.replay.ReplayEvent;
import dev.tessera.sim.run.PodClass;
import dev.tessera.sim.run.PolicyRun;
import dev.tessera.sim.run.SimEvent;
import dev.tessera.sim.run.SimulationResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulate command's minimal file output, each file written atomically (temp file, then move):
 * {@code events-<policy>.csv} per policy and {@code summary.json}. The full writers and {@code
 * report.html} live in {@code dev.tessera.sim.output}; this class is the stand-in until they do.
 */
public final class BasicOutput {
  /** Arrived-demand columns (% of GPU capacity) of the checkpoint metrics, as in the paper. */
  public static final int[] CHECKPOINTS = {
    50, 60, 70, 80, 85, 88, 90, 92, 94, 95, 96, 97, 98, 99, 100, 105, 110, 115, 120, 125, 130
  };

  private BasicOutput() {}

  /** Final numbers of one run, as printed and summarised. */
  public record Totals(
      String policy,
      int placed,
      int dropped,
      int pending,
      double allocPct,
      double fragPct,
      double meanWaitSeconds,
      long wallMillis) {
    /** Totals of {@code run}. */
    public static Totals of(PolicyRun run) {
      int placed = 0;
      int dropped = 0;
      double wait = 0;
      for (SimEvent e : run.events()) {
        if (e.kind() == SimEvent.Kind.PLACED) {
          placed++;
          wait += e.waitSeconds();
        } else if (e.kind() == SimEvent.Kind.DROPPED) {
          dropped++;
        }
      }
      SimEvent last = run.last();
      int pending = 0;
      double alloc = 0;
      double frag = 0;
      if (last != null) {
        for (int p : last.pendingByClass()) {
          pending += p;
        }
        alloc = 100.0 * last.allocatedMilli() / run.capacityMilli();
        frag = 100.0 * last.fragMilli() / run.capacityMilli();
      }
      return new Totals(
          run.policy(),
          placed,
          dropped,
          pending,
          alloc,
          frag,
          placed == 0 ? 0 : wait / placed,
          run.wallMillis());
    }
  }

  /** Writes every file of {@code result} into {@code dir} (created when missing). */
  public static void write(SimulationResult result, Path dir) {
    try {
      Files.createDirectories(dir);
      for (PolicyRun run : result.runs()) {
        atomically(dir.resolve("events-" + fileSafe(run.policy()) + ".csv"), w -> events(run, w));
      }
      var mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      String json = mapper.writeValueAsString(summary(result));
      atomically(dir.resolve("summary.json"), w -> w.write(json + "\n"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write simulation output to " + dir, e);
    }
  }

  /** The {@code summary.json} tree: per policy, totals and FGD checkpoint metrics. */
  public static Map<String, Object> summary(SimulationResult result) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("trace", result.trace());
    root.put("mode", result.mode());
    root.put("skippedRows", result.skippedRows());
    List<Object> policies = new ArrayList<>();
    for (PolicyRun run : result.runs()) {
      Totals t = Totals.of(run);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("policy", run.policy());
      p.put("seed", run.seed());
      p.put("totalGpus", run.totalGpus());
      p.put("events", run.events().size());
      p.put("placed", t.placed());
      p.put("dropped", t.dropped());
      p.put("pending", t.pending());
      p.put("allocPctEnd", t.allocPct());
      p.put("fragPctOfCapacityEnd", t.fragPct());
      p.put("meanWaitSeconds", t.meanWaitSeconds());
      p.put("wallMillis", run.wallMillis());
      if (!run.events().isEmpty() && run.totalGpus() > 0) {
        var events = new ArrayList<ReplayEvent>(run.events().size());
        for (SimEvent e : run.events()) {
          if (e.kind() != SimEvent.Kind.DEPARTED) {
            events.add(
                new ReplayEvent(
                    e.arrivedMilli(),
                    e.allocatedMilli(),
                    e.fragMilli(),
                    e.idleMilli(),
                    e.kind() == SimEvent.Kind.PLACED));
          }
        }
        p.put("checkpoints", FgdMetrics.discretise(events, run.totalGpus(), CHECKPOINTS));
      }
      policies.add(p);
    }
    root.put("policies", policies);
    return root;
  }

  private static void events(PolicyRun run, BufferedWriter w) throws IOException {
    var header = new StringBuilder("seq,time,kind,pod,class,node,gpus,arrived_milli,");
    header.append("allocated_milli,frag_milli,idle_milli,fully_idle_gpus");
    for (PodClass c : PodClass.values()) {
      header.append(",pending_").append(c.label());
    }
    header.append(",wait_s\n");
    w.write(header.toString());
    for (SimEvent e : run.events()) {
      var sb = new StringBuilder(160);
      sb.append(e.seq())
          .append(',')
          .append(num(e.time()))
          .append(',')
          .append(e.kind().name().toLowerCase(Locale.ROOT))
          .append(',')
          .append(e.pod())
          .append(',')
          .append(e.podClass().label())
          .append(',')
          .append(e.node())
          .append(",\"")
          .append(e.gpus())
          .append("\",")
          .append(e.arrivedMilli())
          .append(',')
          .append(e.allocatedMilli())
          .append(',')
          .append(String.format(Locale.ROOT, "%.2f", e.fragMilli()))
          .append(',')
          .append(String.format(Locale.ROOT, "%.2f", e.idleMilli()))
          .append(',')
          .append(e.fullyIdleGpus());
      for (int p : e.pendingByClass()) {
        sb.append(',').append(p);
      }
      sb.append(',').append(num(e.waitSeconds())).append('\n');
      w.write(sb.toString());
    }
  }

  private static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** A policy name usable as a file name part: a DRL path becomes its file name. */
  static String fileSafe(String policy) {
    String base = Path.of(policy).getFileName().toString();
    return base.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @FunctionalInterface
  private interface Body {
    void write(BufferedWriter w) throws IOException;
  }

  private static void atomically(Path target, Body body) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.write(w);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
