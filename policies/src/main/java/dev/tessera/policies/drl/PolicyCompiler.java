package dev.tessera.policies.drl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.KieBase;
import org.kie.api.builder.Message;
import org.kie.api.builder.Results;
import org.kie.api.io.ResourceType;
import org.kie.internal.io.ResourceFactory;
import org.kie.internal.utils.KieHelper;

/**
 * Compiles DRL policy sources into one {@link Policy}. Compilation is slow (hundreds of ms): do it
 * once per policy and reuse the result.
 */
public final class PolicyCompiler {
  private static final Pattern GLOBAL = Pattern.compile("(?m)^([ \\t]*)global\\s");

  private PolicyCompiler() {}

  /**
   * Compiles {@code sources} together (their rules form one policy).
   *
   * @param name the policy's name, for explanations and logs
   * @throws PolicyCompileException listing every error as {@code file:line:col: message}
   */
  public static Policy compile(String name, List<PolicySource> sources) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("policy " + name + " has no DRL sources");
    }
    var errors = new ArrayList<Located>();
    for (int i = 0; i < sources.size(); i++) {
      rejectGlobals(sources.get(i), i, errors);
    }
    KieHelper helper = new KieHelper();
    // Paths inside the in-memory module are ours; map each back to the user's file name.
    Map<String, PolicySource> byPath = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      PolicySource s = sources.get(i);
      String path = "src/main/resources/tessera/policy" + i + ".drl";
      byPath.put(path, s);
      byPath.put(path.substring("src/main/resources/".length()), s);
      var resource = ResourceFactory.newByteArrayResource(s.drl().getBytes(StandardCharsets.UTF_8));
      resource.setSourcePath(path);
      resource.setResourceType(ResourceType.DRL);
      helper.addResource(resource, ResourceType.DRL);
    }
    Results results = helper.verify();
    for (Message m : results.getMessages(Message.Level.ERROR)) {
      PolicySource s = byPath.get(m.getPath());
      String file = s != null ? s.name() : (m.getPath() == null ? name : m.getPath());
      String text = clean(m);
      int[] at = s == null ? new int[] {m.getLine(), m.getColumn()} : pinpoint(s, m, text);
      errors.add(new Located(file, sourceIndex(sources, s), at[0], at[1], text));
    }
    if (!errors.isEmpty()) {
      errors.sort(
          Comparator.comparingInt(Located::source)
              .thenComparingInt(Located::line)
              .thenComparingInt(Located::col));
      throw new PolicyCompileException(errors.stream().map(Located::format).toList());
    }
    KieBase base = helper.build();
    return new Policy(name, base);
  }

  /** Compiles one source under its own name. */
  public static Policy compile(PolicySource source) {
    return compile(source.name(), List.of(source));
  }

  // Globals are how rules reach services and mutable state; policies must stay pure functions of
  // their facts, so they are refused before Drools sees them.
  private static void rejectGlobals(PolicySource s, int index, List<Located> errors) {
    Matcher m = GLOBAL.matcher(s.drl());
    while (m.find()) {
      int line = 1;
      for (int i = 0; i < m.start(); i++) {
        if (s.drl().charAt(i) == '\n') {
          line++;
        }
      }
      errors.add(
          new Located(
              s.name(),
              index,
              line,
              m.group(1).length() + 1,
              "globals are not allowed in policies: rules may only read facts and insert"
                  + " ScoreContribution or Veto"));
    }
  }

  /**
   * Drools gives no column (and, for right-hand-side errors, the rule's line) for most semantic
   * errors; when the message quotes the offending text, find it at or below the reported line so
   * the user lands on it. Otherwise column 1 of the reported line.
   */
  private static int[] pinpoint(PolicySource s, Message m, String text) {
    int line = m.getLine();
    int col = m.getColumn();
    if (line > 0 && col > 0) {
      return new int[] {line, col};
    }
    String snippet = null;
    for (Pattern p : QUOTED) {
      Matcher qm = p.matcher(text);
      if (qm.find()) {
        snippet = qm.group(1).strip();
        break;
      }
    }
    String[] lines = s.drl().split("\n", -1);
    if (snippet != null && !snippet.isEmpty() && line > 0) {
      for (int l = line; l <= Math.min(lines.length, line + SEARCH_LINES); l++) {
        int c = lines[l - 1].indexOf(snippet);
        if (c >= 0) {
          return new int[] {l, c + 1};
        }
      }
    }
    return new int[] {Math.max(line, 1), 1};
  }

  private static final int SEARCH_LINES = 40;

  private static final List<Pattern> QUOTED =
      List.of(
          Pattern.compile("Unable to Analyse Expression (.+?):?$"),
          Pattern.compile("(\\S+) cannot be resolved"),
          Pattern.compile("method (\\w+)\\("),
          Pattern.compile("field[^\\w]+(\\w+)"));

  private static int sourceIndex(List<PolicySource> sources, PolicySource s) {
    int i = s == null ? -1 : sources.indexOf(s);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  // Drools repeats position details inside some messages; keep the first line only.
  private static String clean(Message m) {
    String text = m.getText() == null ? "" : m.getText().strip();
    int nl = text.indexOf('\n');
    String first = nl < 0 ? text : text.substring(0, nl).strip();
    return first.endsWith(":") ? first.substring(0, first.length() - 1) : first;
  }

  private record Located(String file, int source, int line, int col, String message) {
    String format() {
      return file + ":" + Math.max(line, 0) + ":" + Math.max(col, 0) + ": " + message;
    }
  }
}
