package dev.tessera.sim.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads a Tessera-native trace ({@code docs/trace-format.md}): one YAML file (JSON when the name
 * ends in {@code .json}) with {@code version: tessera-trace/v1}, {@code nodes:} and {@code pods:}.
 * Every field is checked; a problem throws {@link TraceFormatException} naming the file, line,
 * character column, field and the expected form. With {@code skipBadRows} a bad node or pod entry
 * is skipped and counted instead; a file that is not valid YAML, or has a bad top level, always
 * throws. Files ending in {@code .gz} are decompressed.
 */
public final class NativeTraceReader {
  /** The {@code version:} value of this format. */
  public static final String VERSION = "tessera-trace/v1";

  /** Fields of a node entry, in the order the writer emits them. */
  public static final List<String> NODE_FIELDS =
      List.of("name", "cpuMilli", "memoryMiB", "gpuModel", "gpuCount", "gpuMemoryMiB", "labels");

  /** Fields of a pod entry, in the order the writer emits them. */
  public static final List<String> POD_FIELDS =
      List.of(
          "name",
          "cpuMilli",
          "memoryMiB",
          "gpuCount",
          "gpuMemoryMiB",
          "gpuMemoryPercent",
          "gpuCores",
          "gpuType",
          "createdAt",
          "deletedAt");

  private NativeTraceReader() {}

  /** Reads {@code file} strictly: the first problem throws. */
  public static Trace read(Path file) {
    return read(file, false, e -> {});
  }

  /** Reads {@code file}; with {@code skipBadRows} bad entries are skipped and counted. */
  public static Trace read(Path file, boolean skipBadRows) {
    return read(file, skipBadRows, e -> {});
  }

  /**
   * Reads {@code file}; with {@code skipBadRows} each bad entry is handed to {@code onSkipped}
   * (e.g. to print the first few) and counted in {@link Trace#skippedRows()}.
   */
  public static Trace read(
      Path file, boolean skipBadRows, Consumer<TraceFormatException> onSkipped) {
    // Both factories give the same token stream with line/column locations; JSON's parser is
    // several times faster, which counts for large traces.
    JsonFactory factory = isJson(file) ? new JsonFactory() : new YAMLFactory();
    try (BufferedReader in = OpenbCsv.open(file);
        JsonParser p = factory.createParser(in)) {
      return new Parser(file, p, skipBadRows, onSkipped).parse();
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      throw new TraceFormatException(
          file,
          loc == null ? 0 : loc.getLineNr(),
          loc == null ? 0 : loc.getColumnNr(),
          "",
          (isJson(file) ? "not valid JSON: " : "not valid YAML: ") + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code file} is read as JSON: its name ends in {@code .json} or {@code .json.gz}. */
  static boolean isJson(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".json") || n.endsWith(".json.gz");
  }

  /** One scalar (or, for labels, a mapping of scalars) with where it starts. */
  private record Value(JsonToken token, String text, Number number, int line, int col) {
    boolean isNumber() {
      return number != null;
    }
  }

  private static final class Parser {
    private final Path file;
    private final JsonParser p;
    private final boolean skip;
    private final Consumer<TraceFormatException> onSkipped;
    private int skipped;

    Parser(Path file, JsonParser p, boolean skip, Consumer<TraceFormatException> onSkipped) {
      this.file = file;
      this.p = p;
      this.skip = skip;
      this.onSkipped = onSkipped;
    }

    Trace parse() throws IOException {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw here(
            "",
            "expected a mapping starting with version: "
                + VERSION
                + ", then nodes: and pods:, got "
                + (t == null ? "an empty file" : describe(t)));
      }
      List<TraceNode> nodes = null;
      List<TracePod> pods = null;
      boolean versionSeen = false;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int line = line();
        int col = col();
        t = p.nextToken();
        if (!versionSeen && !key.equals("version")) {
          throw new TraceFormatException(
              file, line, col, key, "expected version: " + VERSION + " as the first key");
        }
        switch (key) {
          case "version" -> {
            if (versionSeen) {
              throw new TraceFormatException(file, line, col, key, "appears twice");
            }
            if (t != JsonToken.VALUE_STRING || !VERSION.equals(p.getText())) {
              throw here(
                  "version",
                  "expected "
                      + VERSION
                      + " (the only version this Tessera reads), got "
                      + describeValue(t));
            }
            versionSeen = true;
          }
          case "nodes" -> {
            if (nodes != null) {
              throw new TraceFormatException(file, line, col, key, "appears twice");
            }
            nodes = readList("nodes", "node", this::node);
          }
          case "pods" -> {
            if (pods != null) {
              throw new TraceFormatException(file, line, col, key, "appears twice");
            }
            pods = readList("pods", "pod", this::pod);
          }
          default ->
              throw new TraceFormatException(
                  file, line, col, key, "unknown top-level key; expected version, nodes or pods");
        }
      }
      if (!versionSeen) {
        throw new TraceFormatException(
            file, 1, 1, "version", "missing; expected version: " + VERSION + " as the first key");
      }
      if (nodes == null || pods == null) {
        throw new TraceFormatException(
            file,
            line(),
            col(),
            nodes == null ? "nodes" : "pods",
            "missing; expected a list (write [] for none)");
      }
      if (p.nextToken() != null) {
        throw here("", "expected one YAML document, found more");
      }
      return new Trace(file.toString(), nodes, pods, skipped);
    }

    private interface EntryBuilder<T> {
      T build(Entry e);
    }

    private <T> List<T> readList(String key, String what, EntryBuilder<T> builder)
        throws IOException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw here(
            key,
            "expected a list of "
                + what
                + " mappings (write [] for none), got "
                + describeValue(p.currentToken()));
      }
      List<T> out = new ArrayList<>();
      Set<String> names = new HashSet<>();
      int index = 0;
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        String where = key + "[" + index + "]";
        int line = line();
        int col = col();
        index++;
        try {
          if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new TraceFormatException(
                file,
                line,
                col,
                "",
                "expected a "
                    + what
                    + " mapping {name: …, …} in "
                    + where
                    + ", got "
                    + describe(t));
          }
          Entry e = readEntry(where, line, col);
          T built = builder.build(e);
          String name = e.nameSeen;
          if (!names.add(name)) {
            throw new TraceFormatException(
                file,
                line,
                col,
                "name",
                "duplicate " + what + " name \"" + name + "\" in " + where);
          }
          out.add(built);
        } catch (TraceFormatException ex) {
          if (!skip) {
            throw ex;
          }
          skipped++;
          onSkipped.accept(ex);
        }
      }
      return out;
    }

    /** Reads one mapping; structural problems are thrown after the whole entry is consumed. */
    private Entry readEntry(String where, int line, int col) throws IOException {
      Map<String, Value> fields = new LinkedHashMap<>();
      Map<String, Map<String, Value>> maps = new LinkedHashMap<>();
      TraceFormatException problem = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int fl = line();
        int fc = col();
        t = p.nextToken();
        if (fields.containsKey(name) || maps.containsKey(name)) {
          problem = first(problem, fl, fc, name, "appears twice in " + where);
        }
        if (t == JsonToken.START_OBJECT) {
          Map<String, Value> m = new TreeMap<>();
          while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            t = p.nextToken();
            if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
              m.put(k, scalar(t));
            } else {
              problem =
                  first(
                      problem,
                      line(),
                      col(),
                      name + "." + k,
                      "expected a text value in " + where + ", got " + describe(t));
              p.skipChildren();
            }
          }
          maps.put(name, m);
        } else if (t == JsonToken.START_ARRAY) {
          problem =
              first(problem, fl, fc, name, "expected a single value in " + where + ", got a list");
          p.skipChildren();
        } else {
          fields.put(name, scalar(t));
        }
      }
      if (problem != null) {
        throw problem;
      }
      return new Entry(where, line, col, fields, maps);
    }

    private TraceFormatException first(
        TraceFormatException have, int line, int col, String field, String problem) {
      return have != null ? have : new TraceFormatException(file, line, col, field, problem);
    }

    private Value scalar(JsonToken t) throws IOException {
      Number n = null;
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        n = p.getNumberValue();
      }
      return new Value(t, t == JsonToken.VALUE_NULL ? null : p.getText(), n, line(), col());
    }

    private TraceNode node(Entry e) {
      e.allow(NODE_FIELDS, "node");
      String name = e.name();
      long cpu = e.longIn("cpuMilli", 0, Long.MAX_VALUE, "CPU in millicores", null);
      long mem = e.longIn("memoryMiB", 0, Long.MAX_VALUE, "host memory in MiB", null);
      int gpus = (int) e.longIn("gpuCount", 0, 1024, "number of GPUs", 0L);
      String model = "";
      int gpuMem = 0;
      if (gpus > 0) {
        model = e.text("gpuModel", true);
        gpuMem =
            (int) e.longIn("gpuMemoryMiB", 1, Integer.MAX_VALUE, "memory of each GPU in MiB", null);
      } else {
        e.absent("a node without GPUs (gpuCount 0)", "gpuModel", "gpuMemoryMiB");
      }
      return new TraceNode(name, cpu, mem, model, gpus, gpuMem, e.labels("labels"));
    }

    private TracePod pod(Entry e) {
      e.allow(POD_FIELDS, "pod");
      String name = e.name();
      long cpu = e.longIn("cpuMilli", 0, Long.MAX_VALUE, "CPU request in millicores", null);
      long mem = e.longIn("memoryMiB", 0, Long.MAX_VALUE, "host memory request in MiB", null);
      int gpus = (int) e.longIn("gpuCount", 0, 1024, "number of GPUs", 0L);
      int gpuMem = 0;
      int pct = 0;
      int cores = 0;
      String type = "";
      if (gpus > 0) {
        gpuMem =
            (int)
                e.longIn("gpuMemoryMiB", 1, Integer.MAX_VALUE, "device memory per GPU in MiB", 0L);
        pct = (int) e.longIn("gpuMemoryPercent", 1, 100, "percent of each GPU's memory", 0L);
        if (gpuMem > 0 && pct > 0) {
          Value v = e.fields.get("gpuMemoryPercent");
          throw new TraceFormatException(
              file,
              v.line(),
              v.col(),
              "gpuMemoryPercent",
              "expected either gpuMemoryMiB or gpuMemoryPercent, not both, in " + e.where);
        }
        cores = (int) e.longIn("gpuCores", 1, 100, "percent of each GPU's compute", 0L);
        type = e.gpuType("gpuType");
      } else {
        e.absent(
            "a CPU-only pod (gpuCount 0)",
            "gpuMemoryMiB",
            "gpuMemoryPercent",
            "gpuCores",
            "gpuType");
      }
      double created = e.time("createdAt", 0.0);
      double deleted = -1;
      Value d = e.fields.get("deletedAt");
      if (d != null && d.token() != JsonToken.VALUE_NULL) {
        deleted = e.time("deletedAt", -1);
        if (deleted < created) {
          throw new TraceFormatException(
              file,
              d.line(),
              d.col(),
              "deletedAt",
              "expected a time ≥ createdAt ("
                  + created
                  + ") or no deletedAt for a pod that never leaves, got "
                  + d.text()
                  + " in "
                  + e.where);
        }
      }
      return new TracePod(name, cpu, mem, gpus, gpuMem, pct, cores, type, created, deleted);
    }

    /** One node or pod mapping with typed, validated accessors. */
    private final class Entry {
      final String where;
      final int line;
      final int col;
      final Map<String, Value> fields;
      final Map<String, Map<String, Value>> maps;
      String nameSeen;

      Entry(
          String where,
          int line,
          int col,
          Map<String, Value> fields,
          Map<String, Map<String, Value>> maps) {
        this.where = where;
        this.line = line;
        this.col = col;
        this.fields = fields;
        this.maps = maps;
      }

      TraceFormatException error(Value v, String field, String problem) {
        return v == null
            ? new TraceFormatException(file, line, col, field, problem + " in " + where)
            : new TraceFormatException(file, v.line(), v.col(), field, problem + " in " + where);
      }

      void allow(List<String> allowed, String what) {
        for (String k : fields.keySet()) {
          check(k, allowed, what, fields.get(k));
        }
        for (String k : maps.keySet()) {
          check(k, allowed, what, null);
          if (!k.equals("labels")) {
            throw error(null, k, "expected a single value, got a mapping");
          }
        }
      }

      private void check(String k, List<String> allowed, String what, Value v) {
        if (!k.isEmpty() && !allowed.contains(k)) {
          throw error(v, k, "unknown " + what + " field; expected one of " + allowed);
        }
      }

      String name() {
        Value v = fields.get("name");
        if (v == null) {
          throw error(null, "name", "missing; every entry needs a unique name");
        }
        String s = v.text();
        if (v.token() != JsonToken.VALUE_STRING
            || s.isEmpty()
            || s.length() > 253
            || !s.chars().allMatch(ch -> ch > ' ' && ch != ',' && ch != '"' && ch < 0x7f)) {
          throw error(
              v,
              "name",
              "expected a text name of 1-253 printable ASCII characters without spaces, commas or"
                  + " quotes (quote names that look like numbers), got "
                  + shown(v));
        }
        nameSeen = s;
        return s;
      }

      long longIn(String field, long lo, long hi, String meaning, Long dflt) {
        Value v = fields.get(field);
        String form =
            "an integer "
                + (hi == Long.MAX_VALUE ? "≥ " + lo : "in [" + lo + "," + hi + "]")
                + " ("
                + meaning
                + ")";
        if (v == null || v.token() == JsonToken.VALUE_NULL) {
          if (dflt == null) {
            throw error(v, field, "missing; expected " + form);
          }
          return dflt;
        }
        if (v.token() != JsonToken.VALUE_NUMBER_INT) {
          throw error(v, field, "expected " + form + ", got " + shown(v));
        }
        Number n = v.number();
        if (n instanceof BigInteger || n.longValue() < lo || n.longValue() > hi) {
          throw error(v, field, "expected " + form + ", got " + v.text());
        }
        return n.longValue();
      }

      double time(String field, double dflt) {
        Value v = fields.get(field);
        if (v == null) {
          return dflt;
        }
        String form = "a time in seconds ≥ 0 from the trace start";
        if (!v.isNumber()) {
          throw error(v, field, "expected " + form + ", got " + shown(v));
        }
        double x = v.number() instanceof BigDecimal b ? b.doubleValue() : v.number().doubleValue();
        if (!Double.isFinite(x) || x < 0) {
          throw error(v, field, "expected " + form + ", got " + v.text());
        }
        return x;
      }

      String text(String field, boolean required) {
        Value v = fields.get(field);
        if (v == null || v.token() == JsonToken.VALUE_NULL) {
          if (required) {
            throw error(v, field, "missing; expected text");
          }
          return "";
        }
        if (v.token() != JsonToken.VALUE_STRING || v.text().isBlank()) {
          throw error(v, field, "expected non-empty text, got " + shown(v));
        }
        return v.text();
      }

      String gpuType(String field) {
        String s = text(field, false);
        if (s.isEmpty()) {
          return s;
        }
        for (String part : s.split(",", -1)) {
          if (part.isEmpty() || !part.strip().equals(part)) {
            throw error(
                fields.get(field),
                field,
                "expected GPU models separated by single commas (e.g. \"A10,T4\"), got \""
                    + s
                    + "\"");
          }
        }
        return s;
      }

      void absent(String reason, String... names) {
        for (String f : names) {
          Value v = fields.get(f);
          if (v != null && v.token() != JsonToken.VALUE_NULL) {
            throw error(v, f, "not allowed for " + reason);
          }
        }
      }

      Map<String, String> labels(String field) {
        Value v = fields.get(field);
        if (v != null && v.token() != JsonToken.VALUE_NULL) {
          throw error(v, field, "expected a mapping of label names to values, got " + shown(v));
        }
        Map<String, Value> m = maps.get(field);
        Map<String, String> out = new TreeMap<>();
        if (m != null) {
          m.forEach((k, val) -> out.put(k, val.text()));
        }
        return out;
      }
    }

    private int line() {
      JsonLocation l = p.currentTokenLocation();
      return l == null ? 0 : l.getLineNr();
    }

    private int col() {
      JsonLocation l = p.currentTokenLocation();
      return l == null ? 0 : l.getColumnNr();
    }

    private TraceFormatException here(String field, String problem) {
      return new TraceFormatException(file, line(), col(), field, problem);
    }

    private String describeValue(JsonToken t) throws IOException {
      return t != null && t.isScalarValue() ? "\"" + p.getText() + "\"" : describe(t);
    }
  }

  private static String shown(Value v) {
    return switch (v.token()) {
      case VALUE_STRING -> "the text \"" + v.text() + "\"";
      case VALUE_NULL -> "null";
      default -> v.text();
    };
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the file";
    }
    return switch (t) {
      case START_OBJECT -> "a mapping";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "text";
      case VALUE_NULL -> "nothing (null)";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> t.toString();
    };
  }
}
