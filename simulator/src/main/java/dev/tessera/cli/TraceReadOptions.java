package dev.tessera.cli;

import dev.tessera.sim.trace.OpenbConverter;
import dev.tessera.sim.trace.TraceFormatException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * Options for reading a trace that {@code simulate} and {@code convert} share ({@code
 * --skip-bad-rows}, {@code --gpu-memory}), so both read openb the same way.
 */
final class TraceReadOptions {
  /** Skipped rows printed in full; the rest are only counted. */
  static final int SHOWN_SKIPS = 5;

  @Option(
      names = "--skip-bad-rows",
      description =
          "Skip malformed rows (the first "
              + SHOWN_SKIPS
              + " are shown) and report how many,"
              + " instead of stopping at the first.")
  boolean skipBadRows;

  @Option(
      names = "--gpu-memory",
      paramLabel = "MODEL=MIB",
      description =
          "openb: per-GPU memory of a model in MiB, overriding or extending the built-in table"
              + " (docs/trace-format.md). Repeatable.")
  Map<String, Integer> gpuMemory = new LinkedHashMap<>();

  /**
   * The openb converter with the {@code --gpu-memory} overrides.
   *
   * @throws IllegalArgumentException when an override is not a positive number of MiB
   */
  OpenbConverter openbConverter() {
    for (var e : gpuMemory.entrySet()) {
      if (e.getValue() == null || e.getValue() <= 0) {
        throw new IllegalArgumentException(
            "--gpu-memory " + e.getKey() + ": expected a positive number of MiB");
      }
    }
    return new OpenbConverter(OpenbConverter.tableWith(gpuMemory));
  }

  /** Prints the first {@link #SHOWN_SKIPS} skipped rows to {@code err}. */
  static Consumer<TraceFormatException> skipPrinter(PrintWriter err) {
    int[] shown = {0};
    return e -> {
      if (shown[0]++ < SHOWN_SKIPS) {
        err.println("skipped " + e.getMessage());
      }
    };
  }
}
