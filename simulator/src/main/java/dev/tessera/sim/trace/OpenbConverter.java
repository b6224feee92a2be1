package dev.tessera.sim.trace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Converts openb CSV traces (pod list + node list) to a native {@link Trace} ({@code
 * docs/trace-format.md}, "Converting openb"):
 *
 * <ul>
 *   <li>{@code gpu_milli} m of a GPU pod becomes {@code gpuCores} m/10 and {@code gpuMemoryPercent}
 *       m/10, so the pod's share ({@link TracePod#gpuMilli()}) is exactly m; m must be a multiple
 *       of 10 in [10,1000];
 *   <li>{@code num_gpu} 0 is a CPU-only pod whatever {@code gpu_milli} says (the FGD simulator
 *       ignores it too);
 *   <li>{@code gpu_spec "A|B"} becomes {@code gpuType "A,B"} (duplicates dropped, order kept);
 *   <li>{@code creation_time}/{@code deletion_time} become {@code createdAt}/{@code deletedAt}
 *       (seconds; an empty cell means 0 / never);
 *   <li>each node's per-GPU memory comes from {@link #GPU_MEMORY_MIB} (or the caller's table);
 *       CPU-only nodes are kept.
 * </ul>
 */
public final class OpenbConverter {
  /**
   * Per-GPU memory in MiB of the openb GPU models: V100 16/32 GB, P100 16 GB and A10 24 GB at their
   * nominal sizes, T4 as its driver reports it (15360, as HAMi registers it). G1, G2 and G3 are
   * undisclosed internal codes; Tessera assumes 16 GiB, which matters only to pods asking for
   * memory in MiB (converted openb pods ask in percent).
   */
  public static final Map<String, Integer> GPU_MEMORY_MIB =
      Map.of(
          "V100M16", 16384,
          "V100M32", 32768,
          "P100", 16384,
          "T4", 15360,
          "A10", 24576,
          "G1", 16384,
          "G2", 16384,
          "G3", 16384);

  private final Map<String, Integer> gpuMemoryMiB;

  /** A converter with the default memory table. */
  public OpenbConverter() {
    this(GPU_MEMORY_MIB);
  }

  /** A converter with {@code gpuMemoryMiB} (model → MiB per GPU) as its memory table. */
  public OpenbConverter(Map<String, Integer> gpuMemoryMiB) {
    this.gpuMemoryMiB = Map.copyOf(gpuMemoryMiB);
  }

  /** The default table with {@code overrides} (model → MiB) taking precedence. */
  public static Map<String, Integer> tableWith(Map<String, Integer> overrides) {
    Map<String, Integer> m = new LinkedHashMap<>(GPU_MEMORY_MIB);
    m.putAll(overrides);
    return m;
  }

  /**
   * Reads and converts the openb {@code pods} and {@code nodes} CSVs. Strict unless {@code
   * skipBadRows}, in which case each bad row goes to {@code onSkipped} and is counted in {@link
   * Trace#skippedRows()}.
   */
  public Trace read(
      Path pods, Path nodes, boolean skipBadRows, Consumer<TraceFormatException> onSkipped) {
    ReadResult<TraceNode> n = OpenbCsv.read(nodes, OpenbCsv.NODE_COLUMNS, skipBadRows, this::node);
    ReadResult<TracePod> p =
        OpenbCsv.readAny(
            pods,
            List.of(OpenbCsv.POD_COLUMNS, OpenbCsv.POD_COLUMNS_SHORT),
            skipBadRows,
            this::pod);
    List<TraceFormatException> skipped = new ArrayList<>(n.skipped());
    skipped.addAll(p.skipped());
    skipped.forEach(onSkipped);
    return new Trace("openb:" + pods, n.rows(), p.rows(), skipped.size());
  }

  /** Reads and converts strictly. */
  public Trace read(Path pods, Path nodes) {
    return read(pods, nodes, false, e -> {});
  }

  private TraceNode node(OpenbCsv.Row r) {
    OpenbNode n = OpenbCsv.parseNode(r);
    if (n.gpuCount() == 0) {
      return new TraceNode(n.name(), n.cpuMilli(), n.memoryMib(), "", 0, 0, Map.of());
    }
    Integer mem = gpuMemoryMiB.get(n.model());
    if (n.model().isEmpty() || mem == null) {
      throw r.error(
          "model",
          "expected a GPU model with known memory ("
              + String.join(", ", new java.util.TreeSet<>(gpuMemoryMiB.keySet()))
              + ") for a node with "
              + n.gpuCount()
              + " GPUs, got \""
              + n.model()
              + "\"; give its memory with --gpu-memory "
              + (n.model().isEmpty() ? "MODEL" : n.model())
              + "=MIB");
    }
    return new TraceNode(
        n.name(), n.cpuMilli(), n.memoryMib(), n.model(), n.gpuCount(), mem, Map.of());
  }

  private TracePod pod(OpenbCsv.Row r) {
    OpenbPod p = OpenbCsv.parsePod(r);
    double created = p.creationTime().isPresent() ? p.creationTime().getAsLong() : 0;
    double deleted = p.deletionTime().isPresent() ? p.deletionTime().getAsLong() : -1;
    if (created < 0) {
      throw r.error("creation_time", "expected seconds ≥ 0, got " + (long) created);
    }
    if (p.deletionTime().isPresent() && deleted < created) {
      throw r.error(
          "deletion_time",
          "expected a time ≥ creation_time (" + (long) created + "), got " + (long) deleted);
    }
    if (p.numGpu() == 0) {
      return new TracePod(p.name(), p.cpuMilli(), p.memoryMib(), 0, 0, 0, 0, "", created, deleted);
    }
    int m = p.gpuMilli();
    if (m == 0 || m % 10 != 0) {
      throw r.error(
          "gpu_milli",
          "expected a multiple of 10 in [10,1000] for a GPU pod (num_gpu "
              + p.numGpu()
              + "), got "
              + m
              + "; the native format states GPU shares in whole percent");
    }
    return new TracePod(
        p.name(),
        p.cpuMilli(),
        p.memoryMib(),
        p.numGpu(),
        0,
        m / 10,
        m / 10,
        gpuType(r, p.gpuSpec()),
        created,
        deleted);
  }

  private static String gpuType(OpenbCsv.Row r, String spec) {
    if (spec.isEmpty()) {
      return "";
    }
    Set<String> models = new LinkedHashSet<>();
    for (String s : spec.split("\\|", -1)) {
      if (s.isEmpty() || s.indexOf(',') >= 0) {
        throw r.error(
            "gpu_spec", "expected GPU models separated by single '|' (e.g. A10|T4), got " + spec);
      }
      models.add(s);
    }
    return String.join(",", models);
  }
}
