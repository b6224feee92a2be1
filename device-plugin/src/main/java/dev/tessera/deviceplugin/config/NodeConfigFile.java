package dev.tessera.deviceplugin.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-node device-plugin config {@code /config/config.json} (hami-compat §10.3): {@code
 * {"nodeconfig":[{"name":…, …}]}}. Keys match case-insensitively and unknown keys are ignored, as
 * Go's {@code encoding/json} does; a value of the wrong type is an error.
 *
 * @param entries the {@code nodeconfig} elements in file order
 */
public record NodeConfigFile(List<NodeConfigEntry> entries) {
  public static final String DEFAULT_PATH = "/config/config.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public NodeConfigFile {
    entries = List.copyOf(entries);
  }

  /**
   * Reads and parses {@code path}; empty when the file does not exist.
   *
   * @throws NodeConfigException when it cannot be read or parsed
   */
  public static Optional<NodeConfigFile> load(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new NodeConfigException(path.toString(), "", "cannot read: " + e.getMessage(), e);
    }
    return Optional.of(parse(path.toString(), text));
  }

  /**
   * Parses the file's text.
   *
   * @param file the file name, used in error messages
   * @throws NodeConfigException naming {@code file} and the field when the JSON is malformed or a
   *     value has the wrong type
   */
  public static NodeConfigFile parse(String file, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new NodeConfigException(file, "", "not valid JSON: " + e.getOriginalMessage(), e);
    }
    return fromTree(file, root);
  }

  /** As {@link #parse} from an already-parsed tree. */
  public static NodeConfigFile fromTree(String file, JsonNode root) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new NodeConfigFile(List.of());
    }
    if (!root.isObject()) {
      throw new NodeConfigException(
          file, "", "expected a JSON object, got " + root.getNodeType(), null);
    }
    var fields = fieldsOf(root);
    JsonNode list = fields.get("nodeconfig");
    var out = new ArrayList<NodeConfigEntry>();
    if (list == null || list.isNull()) {
      return new NodeConfigFile(out);
    }
    if (!list.isArray()) {
      throw new NodeConfigException(
          file, "nodeconfig", "expected an array, got " + list.getNodeType(), null);
    }
    for (int i = 0; i < list.size(); i++) {
      out.add(entry(new Reader(file, "nodeconfig[" + i + "]"), list.get(i)));
    }
    return new NodeConfigFile(out);
  }

  /** The entry for {@code nodeName}: the first whose {@code name} equals it. */
  public Optional<NodeConfigEntry> entryFor(String nodeName) {
    return entries.stream().filter(e -> nodeName.equals(e.name())).findFirst();
  }

  /**
   * The effective settings of {@code nodeName}: {@code base} overridden field by field by the
   * node's entry ({@link DevicePluginSettings#overriddenBy}); without an entry the mode is {@code
   * hami-core} and the rest is {@code base}. (When the file is absent or unreadable HAMi logs the
   * error and runs with {@code base} and an empty mode, which Allocate treats like hami-core.)
   */
  public DevicePluginSettings apply(DevicePluginSettings base, String nodeName) {
    return entryFor(nodeName)
        .map(base::overriddenBy)
        .orElseGet(() -> base.withOperatingMode(DevicePluginSettings.MODE_HAMI_CORE));
  }

  private static NodeConfigEntry entry(Reader r, JsonNode node) {
    if (node.isNull()) {
      return new NodeConfigEntry(null, null, null, null, null, null, null, null, null, null, null);
    }
    if (!node.isObject()) {
      throw r.error("", "expected an object, got " + node.getNodeType());
    }
    var f = fieldsOf(node);
    return new NodeConfigEntry(
        r.string(f, "name"),
        r.string(f, "operatingmode"),
        r.integer(f, "devicesplitcount"),
        r.number(f, "devicememoryscaling"),
        r.number(f, "devicecorescaling"),
        r.longInteger(f, "preconfigureddevicememory"),
        r.string(f, "libcudaloglevel"),
        r.bool(f, "enablenumatopology"),
        r.string(f, "migstrategy"),
        r.filter(f, "filterdevices"),
        r.bool(f, "enablegetpreferredallocation"));
  }

  // Go's encoding/json matches keys case-insensitively; the last duplicate wins.
  private static Map<String, JsonNode> fieldsOf(JsonNode obj) {
    var m = new HashMap<String, JsonNode>();
    for (var e : obj.properties()) {
      m.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue());
    }
    return m;
  }

  private record Reader(String file, String path) {
    NodeConfigException error(String key, String problem) {
      return new NodeConfigException(file, key.isEmpty() ? path : path + "." + key, problem, null);
    }

    String string(Map<String, JsonNode> f, String key) {
      JsonNode v = f.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        throw error(key, "expected a string, got " + v);
      }
      return v.asText();
    }

    Integer integer(Map<String, JsonNode> f, String key) {
      JsonNode v = f.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw error(key, "expected a 32-bit integer, got " + v);
      }
      return v.intValue();
    }

    Long longInteger(Map<String, JsonNode> f, String key) {
      JsonNode v = f.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw error(key, "expected an integer, got " + v);
      }
      return v.longValue();
    }

    Double number(Map<String, JsonNode> f, String key) {
      JsonNode v = f.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isNumber()) {
        throw error(key, "expected a number, got " + v);
      }
      return v.doubleValue();
    }

    Boolean bool(Map<String, JsonNode> f, String key) {
      JsonNode v = f.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isBoolean()) {
        throw error(key, "expected true or false, got " + v);
      }
      return v.booleanValue();
    }

    FilterDevices filter(Map<String, JsonNode> f, String key) {
      JsonNode v = f.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isObject()) {
        throw error(key, "expected an object {\"uuid\":[…],\"index\":[…]}, got " + v);
      }
      var ff = fieldsOf(v);
      var uuids = new ArrayList<String>();
      JsonNode u = ff.get("uuid");
      if (u != null && !u.isNull()) {
        if (!u.isArray()) {
          throw error(key + ".uuid", "expected an array of strings, got " + u);
        }
        for (int i = 0; i < u.size(); i++) {
          if (!u.get(i).isTextual()) {
            throw error(key + ".uuid[" + i + "]", "expected a string, got " + u.get(i));
          }
          uuids.add(u.get(i).asText());
        }
      }
      var indexes = new ArrayList<Integer>();
      JsonNode ix = ff.get("index");
      if (ix != null && !ix.isNull()) {
        if (!ix.isArray()) {
          throw error(key + ".index", "expected an array of integers, got " + ix);
        }
        for (int i = 0; i < ix.size(); i++) {
          JsonNode n = ix.get(i);
          if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw error(key + ".index[" + i + "]", "expected an integer, got " + n);
          }
          indexes.add(n.intValue());
        }
      }
      return new FilterDevices(uuids, indexes);
    }
  }
}
