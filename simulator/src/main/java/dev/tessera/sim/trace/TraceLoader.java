package dev.tessera.sim.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Opens a trace by its file name, for {@code --trace}: {@code .yaml}, {@code .yml} or {@code .json}
 * (optionally {@code .gz}) is the native format ({@link NativeTraceReader}); {@code .csv}
 * (optionally {@code .gz}) is an openb pod list, converted with {@link OpenbConverter}, whose nodes
 * come from {@code nodes} or, when that is null, from {@code openb_node_list_gpu_node.csv} beside
 * it (the cluster of the FGD experiments).
 */
public final class TraceLoader {
  /** The node list looked for beside an openb pod list when none is given. */
  public static final String DEFAULT_OPENB_NODES = "openb_node_list_gpu_node.csv";

  private TraceLoader() {}

  /**
   * Loads {@code trace}; {@code nodes} is only for openb pod lists (null: the default beside it).
   * With {@code skipBadRows} bad rows go to {@code onSkipped} and are counted.
   *
   * @throws IllegalArgumentException for an unknown extension, a node list given with a native
   *     trace, or a missing node list
   * @throws TraceFormatException for a malformed file (strict mode)
   */
  public static Trace load(
      Path trace, Path nodes, boolean skipBadRows, Consumer<TraceFormatException> onSkipped) {
    return load(trace, nodes, new OpenbConverter(), skipBadRows, onSkipped);
  }

  /**
   * {@link #load(Path, Path, boolean, Consumer)}, converting an openb pod list with {@code openb}
   * (e.g. one with {@code --gpu-memory} overrides).
   */
  public static Trace load(
      Path trace,
      Path nodes,
      OpenbConverter openb,
      boolean skipBadRows,
      Consumer<TraceFormatException> onSkipped) {
    String name = trace.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (!Files.isRegularFile(trace)) {
      throw new IllegalArgumentException("--trace " + trace + ": no such file");
    }
    if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
      if (nodes != null) {
        throw new IllegalArgumentException(
            "--nodes " + nodes + ": a native trace (" + trace + ") lists its own nodes");
      }
      return NativeTraceReader.read(trace, skipBadRows, onSkipped);
    }
    if (name.endsWith(".csv")) {
      Path n = nodes;
      if (n == null) {
        Path dir = trace.toAbsolutePath().getParent();
        n = dir.resolve(DEFAULT_OPENB_NODES);
        if (!Files.isRegularFile(n)) {
          throw new IllegalArgumentException(
              "--trace "
                  + trace
                  + ": an openb pod list needs a node list; give --nodes FILE or put "
                  + DEFAULT_OPENB_NODES
                  + " beside it");
        }
      } else if (!Files.isRegularFile(n)) {
        throw new IllegalArgumentException("--nodes " + n + ": no such file");
      }
      return openb.read(trace, n, skipBadRows, onSkipped);
    }
    throw new IllegalArgumentException(
        "--trace "
            + trace
            + ": expected a native trace (.yaml, .yml, .json) or an openb pod list (.csv),"
            + " optionally .gz");
  }
}
