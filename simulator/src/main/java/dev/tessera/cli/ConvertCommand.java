package dev.tessera.cli;

import dev.tessera.sim.trace.NativeTraceWriter;
import dev.tessera.sim.trace.Trace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin TraceReadOptions read = new TraceReadOptions();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Trace trace =
        read.openbConverter()
            .read(pods, nodes, read.skipBadRows, TraceReadOptions.skipPrinter(err));
    NativeTraceWriter.write(trace, out);
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        "wrote %s: %d nodes, %d pods%s%n",
        out,
        trace.nodes().size(),
        trace.pods().size(),
        read.skipBadRows ? " (" + trace.skippedRows() + " bad rows skipped)" : "");
    o.flush();
    err.flush();
    return 0;
  }
}
