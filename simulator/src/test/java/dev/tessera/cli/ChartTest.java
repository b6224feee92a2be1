package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.GoDuration;
import dev.tessera.engine.config.DeviceConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The Helm chart agrees with the code it deploys: every flag a template gives a tessera container
 * is one the CLI accepts (a renamed flag breaks the build), every {@code .Values} path exists and
 * every value is used, and kube-scheduler's configuration has the extender stanza docs/deploy.md
 * asks for. No helm binary is needed: {@link ChartText} renders the parts checked.
 */
class ChartTest {
  private static final Pattern VALUES_REF =
      Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
  private static final Pattern ARGS = Pattern.compile("^(\\s*)args:\\s*$");
  private static final Pattern FLAG = Pattern.compile("^\\s*- (--[a-z0-9-]+)(=.*)?$");
  private static final Set<String> EXTENDER_FIELDS =
      Set.of(
          "urlPrefix",
          "filterVerb",
          "preemptVerb",
          "prioritizeVerb",
          "weight",
          "bindVerb",
          "enableHTTPS",
          "tlsConfig",
          "httpTimeout",
          "nodeCacheCapable",
          "managedResources",
          "ignorable");

  private final ChartText chart = ChartText.load();

  /** One tessera container's {@code args:} list as written in a template. */
  record ArgsBlock(String template, String text) {
    String subcommand() {
      return firstItem(text);
    }
  }

  private List<ArgsBlock> tesseraArgs() throws IOException {
    var blocks = new ArrayList<ArgsBlock>();
    for (String template : templates()) {
      List<String> lines = List.of(chart.read(template).split("\n"));
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = ARGS.matcher(lines.get(i));
        if (!m.matches()) {
          continue;
        }
        int indent = m.group(1).length();
        var block = new StringBuilder();
        int j = i + 1;
        for (; j < lines.size(); j++) {
          String l = lines.get(j);
          String t = l.trim();
          boolean directive = t.startsWith("{{");
          boolean item = indentOf(l) > indent && (t.startsWith("- ") || t.startsWith("#"));
          if (!directive && !item) {
            break;
          }
          block.append(l).append('\n');
        }
        blocks.add(new ArgsBlock(template, block.toString()));
      }
    }
    return blocks;
  }

  @Test
  void everyTesseraContainerArgumentIsAFlagOfItsSubcommand() throws IOException {
    CommandLine cli = TesseraCli.newCommandLine();
    var seen = new TreeSet<String>();
    for (ArgsBlock block : tesseraArgs()) {
      String sub = block.subcommand();
      assertThat(cli.getSubcommands())
          .as("%s: first arg of a tessera container names a subcommand", block.template())
          .containsKey(sub);
      seen.add(sub);
      CommandSpec spec = cli.getSubcommands().get(sub).getCommandSpec();
      int flags = 0;
      // Every branch of the template, not only the one the defaults render.
      for (String line : block.text().split("\n")) {
        Matcher f = FLAG.matcher(line);
        if (!f.matches()) {
          continue;
        }
        flags++;
        OptionSpec option = spec.findOption(f.group(1));
        assertThat(option)
            .as("%s: tessera %s has no option %s", block.template(), sub, f.group(1))
            .isNotNull();
        boolean takesValue = option.arity().max() > 0;
        assertThat(f.group(2) != null)
            .as(
                "%s: %s %s (write --flag=value for options with a value, bare for switches)",
                block.template(), sub, f.group(1))
            .isEqualTo(takesValue);
      }
      assertThat(flags).as("%s: flags found", block.template()).isPositive();
    }
    assertThat(seen).containsExactly("device-plugin", "extender", "webhook");
  }

  @Test
  void renderedArgumentsParseWithTheDefaultsAndWithLeaderElection() throws IOException {
    for (ChartText values :
        List.of(
            chart,
            chart
                .with("scheduler.leaderElect", "true")
                .with("scheduler.extender.prefix", "/tessera"))) {
      for (ArgsBlock block : tesseraArgs()) {
        List<String> args = items(values.render(block.text()));
        assertThatCode(() -> TesseraCli.newCommandLine().parseArgs(args.toArray(String[]::new)))
            .as("%s: tessera %s", block.template(), String.join(" ", args))
            .doesNotThrowAnyException();
        if (block.subcommand().equals("extender")) {
          boolean elect = values.value("scheduler.leaderElect").asBoolean();
          assertThat(args.contains("--leader-elect")).isEqualTo(elect);
          if (elect) {
            // the extender follows the very Lease kube-scheduler's config names
            assertThat(args)
                .contains(
                    "--leader-elect-resource-name=tessera-scheduler",
                    "--leader-elect-resource-namespace=kube-system")
                .noneMatch(a -> a.startsWith("--leader-elect-lease"));
          }
        }
      }
    }
  }

  @Test
  void everyValuesPathInTheTemplatesExistsAndEveryValueIsUsed() throws IOException {
    var referenced = new TreeSet<String>();
    for (String template : templates()) {
      Matcher m = VALUES_REF.matcher(chart.read(template));
      while (m.find()) {
        String path = m.group(1).substring(1);
        referenced.add(path);
        assertThat(chart.value(path).isMissingNode())
            .as("%s: .Values.%s is not in values.yaml", template, path)
            .isFalse();
      }
    }
    var leaves = new ArrayList<String>();
    leaves("", chart.values, leaves);
    for (String leaf : leaves) {
      assertThat(referenced.stream().anyMatch(r -> leaf.equals(r) || leaf.startsWith(r + ".")))
          .as("values.yaml key %s is read by no template", leaf)
          .isTrue();
    }
  }

  @Test
  void kubeSchedulerConfigurationHasTheExtenderDocsDeployAsksFor() throws IOException {
    JsonNode config = schedulerConfig(chart);
    assertThat(config.path("kind").asText()).isEqualTo("KubeSchedulerConfiguration");
    assertThat(config.path("apiVersion").asText()).isEqualTo("kubescheduler.config.k8s.io/v1");
    assertThat(config.at("/profiles/0/schedulerName").asText()).isEqualTo("hami-scheduler");
    assertThat(config.at("/leaderElection/leaderElect").asBoolean()).isFalse();
    JsonNode extenders = config.path("extenders");
    assertThat(extenders.size()).isEqualTo(1);
    JsonNode ext = extenders.get(0);
    // kube-scheduler refuses to start on an unknown or mis-cased key.
    ext.fieldNames().forEachRemaining(k -> assertThat(EXTENDER_FIELDS).contains(k));

    JsonNode documented = docsExtender();
    assertThat(ext).isEqualTo(documented);
    assertThat(ext.path("filterVerb").asText()).isEqualTo("filter");
    assertThat(ext.path("prioritizeVerb").asText()).isEqualTo("prioritize");
    assertThat(ext.path("bindVerb").asText()).isEqualTo("bind");
    assertThat(ext.path("weight").asInt()).isPositive();
    assertThat(ext.path("nodeCacheCapable").asBoolean()).isTrue();
    assertThat(ext.path("ignorable").asBoolean()).isFalse();
    var managed = new LinkedHashMap<String, Boolean>();
    ext.path("managedResources")
        .forEach(
            r -> managed.put(r.path("name").asText(), r.path("ignoredByScheduler").asBoolean()));
    assertThat(managed)
        .containsExactly(
            Map.entry("nvidia.com/gpu", true),
            Map.entry("nvidia.com/gpumem", true),
            Map.entry("nvidia.com/gpucores", true),
            Map.entry("nvidia.com/gpumem-percentage", true),
            Map.entry("nvidia.com/priority", true));

    // The extender container listens where kube-scheduler calls it, and a bind held back by the
    // allocation gate still answers within httpTimeout.
    List<String> args = extenderArgs(chart);
    assertThat(args).contains("--port=" + chart.value("scheduler.extender.port").asText());
    assertThat(ext.path("urlPrefix").asText())
        .isEqualTo("https://127.0.0.1:" + chart.value("scheduler.extender.port").asText());
    assertThat(GoDuration.parse("httpTimeout", ext.path("httpTimeout").asText()))
        .isGreaterThan(
            GoDuration.parse(
                "allocationWait", chart.value("scheduler.extender.allocationWait").asText()));
  }

  @Test
  void leaderElectionAndPrioritizeTogglesReachKubeScheduler() throws IOException {
    JsonNode on =
        schedulerConfig(
            chart
                .with("scheduler.leaderElect", "true")
                .with("scheduler.extender.prioritize", "false"));
    assertThat(on.at("/leaderElection/leaderElect").asBoolean()).isTrue();
    assertThat(on.at("/leaderElection/resourceName").asText()).isEqualTo("tessera-scheduler");
    assertThat(on.at("/leaderElection/resourceNamespace").asText()).isEqualTo("kube-system");
    assertThat(on.at("/extenders/0").has("prioritizeVerb")).isFalse();
  }

  @Test
  void deviceConfigMapRendersTheShippedDeviceConfig(@TempDir Path dir) throws IOException {
    JsonNode cm = ChartText.YAML.readTree(chart.render(chart.read("device-configmap.yaml")));
    assertThat(cm.at("/metadata/name").asText()).isEqualTo("hami-scheduler-device");
    String rendered = cm.at("/data/device-config.yaml").asText();
    JsonNode file =
        ChartText.YAML.readTree(chart.root.resolve("files/device-config.yaml").toFile());
    assertThat(ChartText.YAML.readTree(rendered)).isEqualTo(file);
    Path written = dir.resolve("device-config.yaml");
    Files.writeString(written, rendered);
    // The components load it as they load the shipped file (which explain reads outside a cluster).
    assertThat(DeviceConfigLoader.load(written))
        .isEqualTo(DeviceConfigLoader.load(chart.root.resolve("files/device-config.yaml")));
  }

  private JsonNode schedulerConfig(ChartText values) throws IOException {
    JsonNode cm = ChartText.YAML.readTree(values.render(values.read("scheduler/configmap.yaml")));
    return ChartText.YAML.readTree(cm.at("/data/config.yaml").asText());
  }

  private List<String> extenderArgs(ChartText values) throws IOException {
    for (ArgsBlock block : tesseraArgs()) {
      if (block.subcommand().equals("extender")) {
        return items(values.render(block.text()));
      }
    }
    throw new AssertionError("no extender container in the chart");
  }

  /** The extender stanza of the KubeSchedulerConfiguration example in docs/deploy.md. */
  private JsonNode docsExtender() throws IOException {
    Path docs = chart.root.resolve("../../docs/deploy.md").normalize();
    String text = Files.readString(docs);
    int section = text.indexOf("## KubeSchedulerConfiguration");
    int start = text.indexOf("```yaml\n", section) + "```yaml\n".length();
    String yaml = text.substring(start, text.indexOf("```", start));
    return ChartText.YAML.readTree(yaml).at("/extenders/0");
  }

  private List<String> templates() throws IOException {
    Path dir = chart.root.resolve("templates");
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  private static void leaves(String prefix, JsonNode node, List<String> out) {
    if (node.isObject() && node.size() > 0) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        leaves(prefix.isEmpty() ? k : prefix + "." + k, node.get(k), out);
      }
    } else {
      out.add(prefix);
    }
  }

  /** The plain list items ({@code - x}) of rendered YAML lines, comments dropped. */
  private static List<String> items(String rendered) {
    var out = new ArrayList<String>();
    for (String line : rendered.split("\n")) {
      String t = line.trim();
      if (t.startsWith("- ")) {
        out.add(t.substring(2).trim());
      }
    }
    return out;
  }

  private static String firstItem(String text) {
    for (String line : text.split("\n")) {
      String t = line.trim();
      if (t.startsWith("- ")) {
        return t.substring(2).trim();
      }
    }
    return "";
  }

  private static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
