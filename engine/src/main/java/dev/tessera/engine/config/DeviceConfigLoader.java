package dev.tessera.engine.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link DeviceConfig} from HAMi's {@code device-config.yaml}: either the bare file (a
 * document with an {@code nvidia:} key) or the whole {@code hami-scheduler-device} ConfigMap (whose
 * {@code data."device-config.yaml"} holds that file as a string).
 *
 * <p>Types are checked as strictly as Go's YAML-to-JSON decoding does: a quoted number is not an
 * integer, a number is not a string. Absent or null keys keep the base value (HAMi's Go zero values
 * unless the caller passes another base). Keys HAMi does not know are logged and ignored, as Go's
 * decoder ignores them.
 */
public final class DeviceConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceConfigLoader.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The ConfigMap data key holding the file. */
  public static final String CONFIGMAP_KEY = "device-config.yaml";

  // Keys HAMi's nvidia section accepts that this record leaves to other components (MIG geometry
  // tables are read by the MIG code from the raw section).
  private static final Set<String> KNOWN_UNMODELLED =
      Set.of("migProfileAllowlist", "knownMigGeometries", "migGeometriesList");

  private DeviceConfigLoader() {}

  /** Reads the file at {@code path}; the path names the source in error messages. */
  public static DeviceConfig load(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new DeviceConfigException(path.toString(), "", "cannot read: " + e.getMessage(), e);
    }
    return parse(path.toString(), text);
  }

  /**
   * Parses {@code yaml} (bare file or ConfigMap) on top of {@link DeviceConfig#builtinDefaults()}.
   *
   * @param source name of the file for error messages
   * @throws DeviceConfigException on malformed YAML, a missing {@code nvidia} section or a field of
   *     the wrong type
   */
  public static DeviceConfig parse(String source, String yaml) {
    JsonNode root = readYaml(source, yaml);
    JsonNode data = root.get("data");
    if (data != null && !data.isNull()) {
      if (!data.isObject()) {
        throw new DeviceConfigException(source, "data", "expected a mapping, got " + kind(data));
      }
      JsonNode file = data.get(CONFIGMAP_KEY);
      if (file == null || file.isNull()) {
        throw new DeviceConfigException(
            source, "data." + CONFIGMAP_KEY, "missing: the ConfigMap holds no device config");
      }
      if (!file.isTextual()) {
        throw new DeviceConfigException(
            source, "data." + CONFIGMAP_KEY, "expected a string, got " + kind(file));
      }
      root = readYaml(source + " (data." + CONFIGMAP_KEY + ")", file.asText());
      source = source + " (data." + CONFIGMAP_KEY + ")";
    }
    JsonNode nvidia = root.get("nvidia");
    if (nvidia == null || nvidia.isNull()) {
      throw new DeviceConfigException(source, "nvidia", "missing: no nvidia section");
    }
    return fromSection(source, "nvidia", nvidia, DeviceConfig.builtinDefaults());
  }

  /**
   * Overlays the keys of one {@code nvidia:} section (already parsed, e.g. from JSON) on {@code
   * base}.
   *
   * @param prefix dotted path of {@code section} for error messages, e.g. {@code nvidia}
   */
  public static DeviceConfig fromSection(
      String source, String prefix, JsonNode section, DeviceConfig base) {
    if (!section.isObject()) {
      throw new DeviceConfigException(source, prefix, "expected a mapping, got " + kind(section));
    }
    var r = new FieldReader(source, prefix, section);
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (!FieldReader.KEYS.contains(key) && !KNOWN_UNMODELLED.contains(key)) {
        LOG.warn("{}: ignoring unknown key {}.{}", source, prefix, key);
      }
    }
    return new DeviceConfig(
        r.string("resourceCountName", base.resourceCountName()),
        r.string("resourceMemoryName", base.resourceMemoryName()),
        r.string("resourceMemoryPercentageName", base.resourceMemoryPercentageName()),
        r.string("resourceCoreName", base.resourceCoreName()),
        r.string("resourcePriorityName", base.resourcePriorityName()),
        r.bool("overwriteEnv", base.overwriteEnv()),
        r.int32("defaultMemory", base.defaultMemory(), Integer.MIN_VALUE),
        r.int32("defaultCores", base.defaultCores(), Integer.MIN_VALUE),
        r.int32("defaultGPUNum", base.defaultGPUNum(), Integer.MIN_VALUE),
        r.int32("memoryFactor", base.memoryFactor(), Integer.MIN_VALUE),
        r.int32("deviceSplitCount", base.deviceSplitCount(), 0),
        r.float64("deviceMemoryScaling", base.deviceMemoryScaling()),
        r.float64("deviceCoreScaling", base.deviceCoreScaling()),
        r.int64("preConfiguredDeviceMemory", base.preConfiguredDeviceMemory()),
        r.bool("enableNumaTopology", base.enableNumaTopology()),
        r.string("gpuCorePolicy", base.gpuCorePolicy()),
        r.int32("libCudaLogLevel", base.libCudaLogLevel(), Integer.MIN_VALUE),
        r.string("runtimeClassName", base.runtimeClassName()),
        r.bool("disableCoreLimit", base.disableCoreLimit()),
        r.string("migStrategy", base.migStrategy()));
  }

  private static JsonNode readYaml(String source, String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new DeviceConfigException(source, "", "not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new DeviceConfigException(source, "", "empty document");
    }
    if (!root.isObject()) {
      throw new DeviceConfigException(source, "", "expected a mapping, got " + kind(root));
    }
    return root;
  }

  static String kind(JsonNode n) {
    if (n.isTextual()) {
      return "string \"" + n.asText() + "\"";
    }
    if (n.isBoolean()) {
      return "boolean " + n.asText();
    }
    if (n.isNumber()) {
      return "number " + n.asText();
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  /** Typed access to one section; every miss keeps the given default. */
  private record FieldReader(String source, String prefix, JsonNode section) {
    static final Set<String> KEYS =
        Set.of(
            "resourceCountName",
            "resourceMemoryName",
            "resourceMemoryPercentageName",
            "resourceCoreName",
            "resourcePriorityName",
            "overwriteEnv",
            "defaultMemory",
            "defaultCores",
            "defaultGPUNum",
            "memoryFactor",
            "deviceSplitCount",
            "deviceMemoryScaling",
            "deviceCoreScaling",
            "preConfiguredDeviceMemory",
            "enableNumaTopology",
            "gpuCorePolicy",
            "libCudaLogLevel",
            "runtimeClassName",
            "disableCoreLimit",
            "migStrategy");

    private JsonNode get(String key) {
      JsonNode n = section.get(key);
      return n == null || n.isNull() ? null : n;
    }

    private DeviceConfigException wrong(String key, String expected, JsonNode got) {
      return new DeviceConfigException(
          source, prefix + "." + key, "expected " + expected + ", got " + kind(got));
    }

    String string(String key, String dflt) {
      JsonNode n = get(key);
      if (n == null) {
        return dflt;
      }
      if (!n.isTextual()) {
        throw wrong(key, "a string", n);
      }
      return n.asText();
    }

    boolean bool(String key, boolean dflt) {
      JsonNode n = get(key);
      if (n == null) {
        return dflt;
      }
      if (!n.isBoolean()) {
        throw wrong(key, "a boolean (true/false)", n);
      }
      return n.asBoolean();
    }

    int int32(String key, int dflt, int min) {
      JsonNode n = get(key);
      if (n == null) {
        return dflt;
      }
      if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min) {
        throw wrong(key, min == 0 ? "a non-negative 32-bit integer" : "a 32-bit integer", n);
      }
      return n.asInt();
    }

    OptionalLong int64(String key, OptionalLong dflt) {
      JsonNode n = get(key);
      if (n == null) {
        return dflt;
      }
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw wrong(key, "a 64-bit integer", n);
      }
      return OptionalLong.of(n.asLong());
    }

    double float64(String key, double dflt) {
      JsonNode n = get(key);
      if (n == null) {
        return dflt;
      }
      if (!n.isNumber()) {
        throw wrong(key, "a number", n);
      }
      return n.asDouble();
    }
  }
}
