package dev.tessera.policies.drl;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which policies to combine and with what weights, before anything is compiled: from the CLI form
 * {@code fgd=1000,topology=10} ({@link #parse}) or a YAML file ({@link #load}). Resolve with {@link
 * PolicyRegistry#combine(PolicySpec)}.
 *
 * @param name the combination's name for explanations
 * @param entries policies in order, each a built-in name or a DRL path, with its weight
 */
public record PolicySpec(String name, List<Entry> entries) {
  public PolicySpec {
    Objects.requireNonNull(name, "name");
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new PolicySpecException(name + ": no policies listed");
    }
  }

  /**
   * One policy and its weight.
   *
   * @param policy a built-in name or a DRL file path
   * @param weight multiplies the policy's total
   */
  public record Entry(String policy, double weight) {
    public Entry {
      Objects.requireNonNull(policy, "policy");
    }
  }

  /**
   * Parses {@code name=weight[,name=weight...]}; an entry without {@code =weight} has weight 1.
   *
   * @throws PolicySpecException naming the entry when a name is empty or a weight is not a finite
   *     number
   */
  public static PolicySpec parse(String arg) {
    var entries = new ArrayList<Entry>();
    for (String raw : arg.split(",", -1)) {
      String item = raw.strip();
      int eq = item.lastIndexOf('=');
      String policy = eq < 0 ? item : item.substring(0, eq).strip();
      if (policy.isEmpty()) {
        throw new PolicySpecException(
            "--policy " + arg + ": entry \"" + item + "\" names no policy; expected name=weight");
      }
      double weight = 1;
      if (eq >= 0) {
        weight = number(item.substring(eq + 1).strip());
        if (Double.isNaN(weight)) {
          throw new PolicySpecException(
              "--policy "
                  + arg
                  + ": weight of \""
                  + policy
                  + "\" must be a finite number, got \""
                  + item.substring(eq + 1).strip()
                  + "\"");
        }
      }
      entries.add(new Entry(policy, weight));
    }
    return new PolicySpec(arg, entries);
  }

  /**
   * Reads a YAML spec:
   *
   * <pre>
   * name: fgd-with-topology      # optional
   * policies:
   *   - policy: fgd              # built-in name, or a DRL path relative to this file
   *     weight: 1000
   *   - policy: topology
   *     weight: 10
   * </pre>
   *
   * @throws PolicySpecException naming {@code file:line:col} and the field when the file cannot be
   *     read or is malformed
   */
  public static PolicySpec load(Path file, java.util.Set<String> builtIns) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new PolicySpecException(file + ": no such policy spec file");
    } catch (IOException e) {
      throw new PolicySpecException(file + ": cannot read policy spec: " + e.getMessage(), e);
    }
    YamlSpec spec;
    try {
      spec = YAML.readValue(text, YamlSpec.class);
    } catch (JacksonException e) {
      var at = e.getLocation();
      String where = at == null ? "" : at.getLineNr() + ":" + at.getColumnNr() + ":";
      String field =
          e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                  && !m.getPath().isEmpty()
              ? " " + fieldPath(m.getPath()) + ":"
              : "";
      String message = e.getOriginalMessage();
      int cut = message.indexOf(" (class ");
      throw new PolicySpecException(
          file
              + ":"
              + where
              + field
              + " expected {name?, policies: [{policy, weight}]}: "
              + (cut < 0 ? message : message.substring(0, cut)),
          e);
    }
    if (spec == null || spec.policies() == null || spec.policies().isEmpty()) {
      throw new PolicySpecException(file + ": field \"policies\" must list at least one policy");
    }
    var entries = new ArrayList<Entry>();
    Path dir = file.toAbsolutePath().getParent();
    for (int i = 0; i < spec.policies().size(); i++) {
      YamlEntry e = spec.policies().get(i);
      String where = file + ": policies[" + i + "]";
      if (e == null || e.policy() == null || e.policy().isBlank()) {
        throw new PolicySpecException(where + ".policy: expected a built-in name or a DRL path");
      }
      if (e.weight() == null || !Double.isFinite(e.weight())) {
        throw new PolicySpecException(where + ".weight: expected a finite number");
      }
      String policy = e.policy().strip();
      if (!builtIns.contains(policy) && !Path.of(policy).isAbsolute() && dir != null) {
        policy = dir.resolve(policy).normalize().toString();
      }
      entries.add(new Entry(policy, e.weight()));
    }
    String name = spec.name() == null || spec.name().isBlank() ? file.toString() : spec.name();
    return new PolicySpec(name, entries);
  }

  /** Whether {@code arg} names a YAML spec file rather than a policy or a list. */
  public static boolean isSpecFile(String arg) {
    String a = arg.toLowerCase(Locale.ROOT);
    return a.endsWith(".yaml") || a.endsWith(".yml");
  }

  /** {@code policies[0].weight} from Jackson's reference chain. */
  private static String fieldPath(
      List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path) {
    var sb = new StringBuilder();
    for (var r : path) {
      if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      }
    }
    return sb.toString();
  }

  private static double number(String s) {
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  record YamlSpec(String name, List<YamlEntry> policies) {}

  record YamlEntry(String policy, Double weight) {}
}
