package dev.tessera.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Helm chart as text, for tests without a helm binary: locates {@code charts/tessera}, reads
 * its values, and renders the small subset of Go template syntax the checked parts use ({@code {{
 * .Values.x }}}, {@code | quote}, {@code .Release.*}, the component-name includes, and line-level
 * {@code if}/{@code else}/{@code end}/{@code range} over values). Anything else in an active line
 * fails loudly, so a template change that this renderer would get wrong shows up as a test error,
 * not as a silently wrong rendering.
 */
final class ChartText {
  static final String RELEASE = "tessera";
  static final String NAMESPACE = "kube-system";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
  private static final Pattern DIRECTIVE =
      Pattern.compile(
          "^\\s*\\{\\{-?\\s*(if|else if|else|end|range|with|fail)\\b(.*?)\\s*-?}}\\s*$");
  private static final Map<String, String> INCLUDES =
      Map.of(
          "tessera.scheduler", RELEASE + "-scheduler",
          "tessera.webhook", RELEASE + "-webhook",
          "tessera.devicePlugin", RELEASE + "-device-plugin",
          "tessera.fullname", RELEASE);

  final Path root;
  final ObjectNode values;

  private ChartText(Path root, ObjectNode values) {
    this.root = root;
    this.values = values;
  }

  /** The chart found from the working directory upwards. */
  static ChartText load() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("charts/tessera/Chart.yaml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("charts/tessera/Chart.yaml not found above the working dir");
    }
    Path root = dir.resolve("charts/tessera");
    try {
      return new ChartText(root, (ObjectNode) YAML.readTree(root.resolve("values.yaml").toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy whose value at dotted {@code path} is {@code value} (a YAML scalar). */
  ChartText with(String path, String value) {
    ObjectNode copy = values.deepCopy();
    String[] keys = path.split("\\.");
    ObjectNode node = copy;
    for (int i = 0; i < keys.length - 1; i++) {
      node = (ObjectNode) node.get(keys[i]);
    }
    try {
      node.set(keys[keys.length - 1], YAML.readTree(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ChartText(root, copy);
  }

  String read(String template) {
    try {
      return Files.readString(root.resolve("templates").resolve(template));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value at {@code .Values.<path>}, or a missing node. */
  JsonNode value(String path) {
    JsonNode n = values;
    for (String key : path.split("\\.")) {
      n = n.path(key);
    }
    return n;
  }

  /** Renders {@code lines} (template text) with this chart's values. */
  String render(String text) {
    var out = new StringBuilder();
    Deque<Boolean> active = new ArrayDeque<>();
    Deque<Boolean> taken = new ArrayDeque<>();
    boolean inComment = false;
    for (String line : text.split("\n", -1)) {
      if (inComment) {
        inComment = !line.contains("*/");
        continue;
      }
      if (line.trim().startsWith("{{- /*") || line.trim().startsWith("{{/*")) {
        inComment = !line.contains("*/");
        continue;
      }
      boolean on = !active.contains(false);
      Matcher d = DIRECTIVE.matcher(line);
      if (d.matches()) {
        String kind = d.group(1);
        String arg = d.group(2).trim();
        switch (kind) {
          case "if", "with", "range" -> {
            boolean cond = on && truthy(kind, arg);
            active.push(cond);
            taken.push(cond);
          }
          case "else if" -> {
            boolean was = taken.pop();
            active.pop();
            boolean cond = !was && !active.contains(false) && truthy("if", arg);
            active.push(cond);
            taken.push(was || cond);
          }
          case "else" -> {
            boolean was = taken.pop();
            active.pop();
            active.push(!was);
            taken.push(true);
          }
          case "end" -> {
            active.pop();
            taken.pop();
          }
          case "fail" -> {
            if (on) {
              throw new IllegalStateException("template fails: " + arg);
            }
          }
          default -> throw new IllegalStateException(kind);
        }
        continue;
      }
      if (on) {
        out.append(substitute(line)).append('\n');
      }
    }
    return out.toString();
  }

  private boolean truthy(String kind, String arg) {
    if (kind.equals("range") || kind.equals("with")) {
      JsonNode v = expr(arg);
      if (kind.equals("range") && v.size() > 0) {
        throw new IllegalStateException("range over a non-empty list is not rendered: " + arg);
      }
      return kind.equals("with") ? isTrue(v) : false;
    }
    if (arg.startsWith("not ")) {
      return !isTrue(expr(arg.substring(4).trim()));
    }
    Matcher eq = Pattern.compile("^eq (\\S+) \"([^\"]*)\"$").matcher(arg);
    if (eq.matches()) {
      return expr(eq.group(1)).asText().equals(eq.group(2));
    }
    Matcher gt = Pattern.compile("^gt \\(int (\\S+)\\) (\\d+)$").matcher(arg);
    if (gt.matches()) {
      return expr(gt.group(1)).asLong() > Long.parseLong(gt.group(2));
    }
    return isTrue(expr(arg));
  }

  private static boolean isTrue(JsonNode v) {
    if (v.isMissingNode() || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      return v.asDouble() != 0;
    }
    if (v.isTextual()) {
      return !v.asText().isEmpty();
    }
    return v.size() > 0;
  }

  private JsonNode expr(String e) {
    if (e.startsWith(".Values.")) {
      JsonNode v = value(e.substring(".Values.".length()));
      if (v.isMissingNode()) {
        throw new IllegalStateException(e + " is not in values.yaml");
      }
      return v;
    }
    throw new IllegalStateException("unsupported template expression: " + e);
  }

  private String substitute(String line) {
    Matcher m = ACTION.matcher(line);
    var out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(evaluate(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String evaluate(String action) {
    if (action.startsWith("include \"tessera.labels\"")
        || action.startsWith("include \"tessera.selectorLabels\"")) {
      return ""; // labels do not matter to what the tests check
    }
    Matcher inc = Pattern.compile("^include \"([^\"]+)\" \\.$").matcher(action);
    if (inc.matches() && INCLUDES.containsKey(inc.group(1))) {
      return INCLUDES.get(inc.group(1));
    }
    List<String> pipeline = new ArrayList<>(List.of(action.split("\\s*\\|\\s*")));
    String head = pipeline.remove(0);
    String v =
        switch (head) {
          case ".Release.Namespace" -> NAMESPACE;
          case ".Release.Name" -> RELEASE;
          default -> {
            JsonNode n = expr(head);
            if (n.isContainerNode()) {
              throw new IllegalStateException(head + " is not a scalar");
            }
            yield n.asText();
          }
        };
    for (String f : pipeline) {
      if (!f.equals("quote")) {
        throw new IllegalStateException("unsupported template function: " + f);
      }
      v = "\"" + v + "\"";
    }
    return v;
  }
}
