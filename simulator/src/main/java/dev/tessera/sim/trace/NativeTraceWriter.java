package dev.tessera.sim.trace;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tessera.sim.output.AtomicFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link Trace} in the native format ({@code docs/trace-format.md}) that {@link
 * NativeTraceReader} reads back to an equal trace. Each node and pod is one line, a YAML flow
 * mapping in JSON syntax; fields at their default (no GPUs, no departure, …) are left out. The file
 * is replaced atomically.
 */
public final class NativeTraceWriter {
  private NativeTraceWriter() {}

  /** Writes {@code trace} to {@code file}, replacing it atomically. */
  public static void write(Trace trace, Path file) {
    // One entry per line keeps 10,000-pod traces readable and diffable; JSON flow syntax is valid
    // YAML and lets Jackson do all quoting.
    DefaultPrettyPrinter pp =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEntrySpacing(Separators.Spacing.AFTER));
    pp.indentObjectsWith(DefaultPrettyPrinter.NopIndenter.instance);
    pp.indentArraysWith(DefaultPrettyPrinter.NopIndenter.instance);
    ObjectWriter json = new ObjectMapper().writer(pp);
    boolean asJson = NativeTraceReader.isJson(file);
    AtomicFiles.write(
        file,
        out -> {
          if (asJson) {
            // The same one-entry-per-line layout as one JSON document (JSON has no comments).
            out.write("{\"version\": \"" + NativeTraceReader.VERSION + "\",\n\"nodes\": [");
            String sep = "\n";
            for (TraceNode n : trace.nodes()) {
              out.write(sep + json.writeValueAsString(node(n)));
              sep = ",\n";
            }
            out.write("],\n\"pods\": [");
            sep = "\n";
            for (TracePod p : trace.pods()) {
              out.write(sep + json.writeValueAsString(pod(p)));
              sep = ",\n";
            }
            out.write("]}\n");
            return;
          }
          out.write(
              "# Tessera trace, format " + NativeTraceReader.VERSION + " (docs/trace-format.md)\n");
          out.write("version: " + NativeTraceReader.VERSION + "\n");
          out.write(trace.nodes().isEmpty() ? "nodes: []\n" : "nodes:\n");
          for (TraceNode n : trace.nodes()) {
            out.write("- " + json.writeValueAsString(node(n)) + "\n");
          }
          out.write(trace.pods().isEmpty() ? "pods: []\n" : "pods:\n");
          for (TracePod p : trace.pods()) {
            out.write("- " + json.writeValueAsString(pod(p)) + "\n");
          }
        });
  }

  private static Map<String, Object> node(TraceNode n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", n.name());
    m.put("cpuMilli", n.cpuMilli());
    m.put("memoryMiB", n.memoryMiB());
    if (n.gpuCount() > 0) {
      m.put("gpuModel", n.gpuModel());
      m.put("gpuCount", n.gpuCount());
      m.put("gpuMemoryMiB", n.gpuMemoryMiB());
    }
    if (!n.labels().isEmpty()) {
      m.put("labels", new TreeMap<>(n.labels()));
    }
    return m;
  }

  private static Map<String, Object> pod(TracePod p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("cpuMilli", p.cpuMilli());
    m.put("memoryMiB", p.memoryMiB());
    if (p.gpuCount() > 0) {
      m.put("gpuCount", p.gpuCount());
      putPositive(m, "gpuMemoryMiB", p.gpuMemoryMiB());
      putPositive(m, "gpuMemoryPercent", p.gpuMemoryPercent());
      putPositive(m, "gpuCores", p.gpuCores());
      if (!p.gpuType().isEmpty()) {
        m.put("gpuType", p.gpuType());
      }
    }
    m.put("createdAt", time(p.createdAt()));
    if (p.deletedAt() >= 0) {
      m.put("deletedAt", time(p.deletedAt()));
    }
    return m;
  }

  private static void putPositive(Map<String, Object> m, String key, int v) {
    if (v > 0) {
      m.put(key, v);
    }
  }

  /** Whole seconds print without a fraction ({@code 427061}, not {@code 427061.0}). */
  private static Object time(double t) {
    return t == Math.rint(t) && Math.abs(t) < 1e15 ? (Object) (long) t : (Object) t;
  }
}
