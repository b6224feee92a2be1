package dev.tessera.sim.trace;

import java.util.List;

/**
 * Rows read from a trace file, with the rows skipped in lenient mode.
 *
 * @param rows rows in file order
 * @param skipped problems of the rows that were skipped (empty in strict mode)
 */
public record ReadResult<T>(List<T> rows, List<TraceFormatException> skipped) {
  public ReadResult {
    rows = List.copyOf(rows);
    skipped = List.copyOf(skipped);
  }

  /** Number of rows skipped because they were malformed. */
  public int skippedCount() {
    return skipped.size();
  }
}
