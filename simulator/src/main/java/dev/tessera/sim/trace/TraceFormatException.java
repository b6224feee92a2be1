package dev.tessera.sim.trace;

import java.nio.file.Path;

/**
 * A trace file row or header that does not have the expected form. The message names the file, the
 * 1-based line, the column and what was expected, e.g. {@code pods.csv:12: column gpu_milli:
 * expected an integer in [0,1000], got "abc"}.
 */
public final class TraceFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String column;

  public TraceFormatException(Path file, int line, String column, String problem) {
    super(
        file
            + (line > 0 ? ":" + line : "")
            + (column.isEmpty() ? "" : ": column " + column)
            + ": "
            + problem);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }

  /** 1-based line number, 0 when the problem concerns the whole file. */
  public int line() {
    return line;
  }

  /** Column name, empty when the problem concerns the whole row. */
  public String column() {
    return column;
  }
}
