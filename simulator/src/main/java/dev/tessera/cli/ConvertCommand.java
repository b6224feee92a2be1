package dev.tessera.cli;

import dev.tessera.sim.trace.NativeTraceWriter;
import dev.tessera.sim.trace.OpenbConverter;
import dev.tessera.sim.trace.Trace;
import dev.tessera.sim.trace.TraceFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tessera convert}: an openb CSV trace (pods + nodes) to Tessera's native trace format. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert an openb CSV trace (pod list + node list) to Tessera's native trace format"
          + " (docs/trace-format.md).",
      "Exit code 0: written; 2: bad input."
    })
final class ConvertCommand implements Callable<Integer> {
  /** Skipped rows printed in full; the rest are only counted. */
  private static final int SHOWN_SKIPS = 5;

  @Spec CommandSpec spec;

  @Option(
      names = "--pods",
      required = true,
      paramLabel = "FILE",
      description = "openb pod list CSV (e.g. traces/openb/openb_pod_list_default.csv).")
  Path pods;

  @Option(
      names = "--nodes",
      required = true,
      paramLabel = "FILE",
      description = "openb node list CSV (e.g. traces/openb/openb_node_list_gpu_node.csv).")
  Path nodes;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description =
          "Native trace file to write: YAML, or JSON when it ends in .json; replaced atomically.")
  Path out;

  @Option(
      names = "--skip-bad-rows",
      description =
          "Skip malformed rows (the first few are shown) instead of stopping at the first.")
  boolean skipBadRows;

  @Option(
      names = "--gpu-memory",
      paramLabel = "MODEL=MIB",
      description =
          "Per-GPU memory of a model in MiB, overriding or extending the built-in table"
              + " (docs/trace-format.md). Repeatable.")
  Map<String, Integer> gpuMemory = new LinkedHashMap<>();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    for (var e : gpuMemory.entrySet()) {
      if (e.getValue() == null || e.getValue() <= 0) {
        throw new IllegalArgumentException(
            "--gpu-memory " + e.getKey() + ": expected a positive number of MiB");
      }
    }
    int[] shown = {0};
    Trace trace =
        new OpenbConverter(OpenbConverter.tableWith(gpuMemory))
            .read(
                pods,
                nodes,
                skipBadRows,
                (TraceFormatException e) -> {
                  if (shown[0]++ < SHOWN_SKIPS) {
                    err.println("skipped " + e.getMessage());
                  }
                });
    NativeTraceWriter.write(trace, out);
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        "wrote %s: %d nodes, %d pods%s%n",
        out,
        trace.nodes().size(),
        trace.pods().size(),
        skipBadRows ? " (" + trace.skippedRows() + " bad rows skipped)" : "");
    o.flush();
    err.flush();
    return 0;
  }
}
