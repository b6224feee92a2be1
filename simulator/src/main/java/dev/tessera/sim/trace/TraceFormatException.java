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
  private final int col;

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
    this.col = 0;
  }

  /**
   * A problem in a structured (YAML) trace at 1-based {@code line} and character {@code col}, e.g.
   * {@code trace.yaml:12:31: field gpuCores: expected …}; {@code field} is "" when the problem
   * concerns a whole entry.
   */
  public TraceFormatException(Path file, int line, int col, String field, String problem) {
    super(
        file
            + (line > 0 ? ":" + line + (col > 0 ? ":" + col : "") : "")
            + (field.isEmpty() ? "" : ": field " + field)
            + ": "
            + problem);
    this.file = file;
    this.line = line;
    this.column = field;
    this.col = col;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }

  /** 1-based line number, 0 when the problem concerns the whole file. */
  public int line() {
    return line;
  }

  /** Column (CSV) or field (YAML) name, empty when the problem concerns the whole row. */
  public String column() {
    return column;
  }

  /** 1-based character column in structured (YAML) traces, 0 for CSV traces. */
  public int col() {
    return col;
  }
}
