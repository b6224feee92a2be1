package dev.tessera.sim.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;

/**
 * Strict readers for the openb trace CSVs (columns as in {@code traces/openb/README.md}). The
 * header must list exactly the expected columns in order (pod lists may use the five-column {@code
 * multigpu} form); every cell is validated. In strict mode the first bad row throws {@link
 * TraceFormatException}; with {@code skipBadRows} bad rows are dropped and reported in {@link
 * ReadResult#skipped()}. Files ending in {@code .gz} are decompressed.
 */
public final class OpenbCsv {
  /** Node list header. */
  public static final List<String> NODE_COLUMNS =
      List.of("sn", "cpu_milli", "memory_mib", "gpu", "model");

  /** Pod list header. */
  public static final List<String> POD_COLUMNS =
      List.of(
          "name",
          "cpu_milli",
          "memory_mib",
          "num_gpu",
          "gpu_milli",
          "gpu_spec",
          "qos",
          "pod_phase",
          "creation_time",
          "deletion_time",
          "scheduled_time");

  /**
   * The short pod-list header of the {@code multigpu} traces; the missing columns read as empty (no
   * spec, no QoS or phase, no timestamps).
   */
  public static final List<String> POD_COLUMNS_SHORT = POD_COLUMNS.subList(0, 5);

  private OpenbCsv() {}

  /** Reads a node list, throwing on the first malformed row. */
  public static List<OpenbNode> readNodes(Path file) {
    return readNodes(file, false).rows();
  }

  /** Reads a node list; with {@code skipBadRows} malformed rows are skipped and counted. */
  public static ReadResult<OpenbNode> readNodes(Path file, boolean skipBadRows) {
    return read(file, NODE_COLUMNS, skipBadRows, OpenbCsv::parseNode);
  }

  /** Parses and checks one node-list row. */
  static OpenbNode parseNode(Row r) {
    return new OpenbNode(
        r.name("sn"),
        r.nonNegLong("cpu_milli"),
        r.nonNegLong("memory_mib"),
        r.intIn("gpu", 0, 1024),
        r.optionalText("model"));
  }

  /** Reads a pod list, throwing on the first malformed row. */
  public static List<OpenbPod> readPods(Path file) {
    return readPods(file, false).rows();
  }

  /** Reads a pod list; with {@code skipBadRows} malformed rows are skipped and counted. */
  public static ReadResult<OpenbPod> readPods(Path file, boolean skipBadRows) {
    return readAny(file, List.of(POD_COLUMNS, POD_COLUMNS_SHORT), skipBadRows, OpenbCsv::parsePod);
  }

  /** Parses and checks one pod-list row. */
  static OpenbPod parsePod(Row r) {
    var pod =
        new OpenbPod(
            r.name("name"),
            r.nonNegLong("cpu_milli"),
            r.nonNegLong("memory_mib"),
            r.intIn("num_gpu", 0, 1024),
            r.intIn("gpu_milli", 0, 1000),
            r.optionalText("gpu_spec"),
            r.optionalText("qos"),
            r.optionalText("pod_phase"),
            r.optionalLong("creation_time"),
            r.optionalLong("deletion_time"),
            r.optionalLong("scheduled_time"));
    if (pod.numGpu() > 1 && pod.gpuMilli() > 0 && pod.gpuMilli() < 1000) {
      throw r.error("gpu_milli", "expected 1000 (or 0) when num_gpu > 1, got " + pod.gpuMilli());
    }
    return pod;
  }

  /** Parses one row; throws {@link TraceFormatException} via {@link Row#error}. */
  interface RowParser<T> {
    T parse(Row row);
  }

  static <T> ReadResult<T> read(
      Path file, List<String> columns, boolean skipBadRows, RowParser<T> parser) {
    return readAny(file, List.of(columns), skipBadRows, parser);
  }

  /** Reads a file whose header must equal one of {@code headers} (the first is quoted on error). */
  static <T> ReadResult<T> readAny(
      Path file, List<List<String>> headers, boolean skipBadRows, RowParser<T> parser) {
    List<String> expected = headers.get(0);
    List<T> rows = new ArrayList<>();
    List<TraceFormatException> skipped = new ArrayList<>();
    try (BufferedReader in = open(file)) {
      String header = in.readLine();
      if (header == null) {
        throw new TraceFormatException(
            file, 1, "", "expected header " + String.join(",", expected) + ", got an empty file");
      }
      header = stripBom(header);
      List<String> columns = split(header);
      if (!headers.contains(columns)) {
        throw new TraceFormatException(
            file, 1, "", "expected header " + String.join(",", expected) + ", got " + header);
      }
      String line;
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isEmpty()) {
          continue; // a trailing blank line is not a row
        }
        try {
          List<String> cells = split(line);
          if (cells.size() != columns.size()) {
            throw new TraceFormatException(
                file,
                lineNo,
                "",
                "expected " + columns.size() + " comma-separated cells, got " + cells.size());
          }
          rows.add(parser.parse(new Row(file, lineNo, columns, cells)));
        } catch (TraceFormatException e) {
          if (!skipBadRows) {
            throw e;
          }
          skipped.add(e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace file " + file + ": " + e.getMessage(), e);
    }
    return new ReadResult<>(rows, skipped);
  }

  static BufferedReader open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      raw = new GZIPInputStream(raw, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8), 1 << 16);
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  /**
   * Splits on commas; the openb files use no quoting, so a quote is rejected by the cell checks.
   */
  static List<String> split(String line) {
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    List<String> out = new ArrayList<>(12);
    int start = 0;
    while (true) {
      int comma = line.indexOf(',', start);
      if (comma < 0) {
        out.add(line.substring(start));
        return out;
      }
      out.add(line.substring(start, comma));
      start = comma + 1;
    }
  }

  /** One data row with typed, validated cell accessors. */
  static final class Row {
    private final Path file;
    private final int line;
    private final List<String> columns;
    private final List<String> cells;

    Row(Path file, int line, List<String> columns, List<String> cells) {
      this.file = file;
      this.line = line;
      this.columns = columns;
      this.cells = cells;
    }

    /** The cell of {@code column}, or "" when the file's header does not have that column. */
    String cell(String column) {
      int i = columns.indexOf(column);
      return i < 0 ? "" : cells.get(i);
    }

    TraceFormatException error(String column, String problem) {
      return new TraceFormatException(file, line, column, problem);
    }

    String name(String column) {
      String v = cell(column);
      if (v.isEmpty() || !v.strip().equals(v) || v.indexOf('"') >= 0) {
        throw error(
            column, "expected a non-empty name without quotes or spaces, got \"" + v + "\"");
      }
      return v;
    }

    String optionalText(String column) {
      String v = cell(column);
      if (v.indexOf('"') >= 0 || !v.strip().equals(v)) {
        throw error(
            column, "expected plain text without quotes or surrounding spaces, got \"" + v + "\"");
      }
      return v;
    }

    long nonNegLong(String column) {
      String v = cell(column);
      long x = parseLong(column, v, "a non-negative integer");
      if (x < 0) {
        throw error(column, "expected a non-negative integer, got \"" + v + "\"");
      }
      return x;
    }

    int intIn(String column, int lo, int hi) {
      String v = cell(column);
      String form = "an integer in [" + lo + "," + hi + "]";
      long x = parseLong(column, v, form);
      if (x < lo || x > hi) {
        throw error(column, "expected " + form + ", got \"" + v + "\"");
      }
      return (int) x;
    }

    OptionalLong optionalLong(String column) {
      String v = cell(column);
      if (v.isEmpty()) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(parseLong(column, v, "an integer or an empty cell"));
    }

    private long parseLong(String column, String v, String form) {
      if (v.isEmpty() || v.length() > 19) {
        throw error(column, "expected " + form + ", got \"" + v + "\"");
      }
      for (int i = 0; i < v.length(); i++) {
        char ch = v.charAt(i);
        if (!(ch >= '0' && ch <= '9') && !(i == 0 && ch == '-' && v.length() > 1)) {
          throw error(column, "expected " + form + ", got \"" + v + "\"");
        }
      }
      return Long.parseLong(v);
    }
  }
}
