package dev.tessera.deviceplugin.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * GPUs described by a YAML (or JSON) file, re-read on every call so that editing the file simulates
 * health changes:
 *
 * <pre>
 * gpus:
 *   - uuid: GPU-…      # required
 *     index: 0         # required, NVML index
 *     type: NVIDIA-Tesla T4
 *     memoryMiB: 15360 # required
 *     numa: 0          # optional
 *     healthy: true    # optional, default true
 * </pre>
 */
public final class FileDeviceSource implements DeviceSource {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path file;

  public FileDeviceSource(Path file) {
    this.file = Objects.requireNonNull(file);
  }

  /**
   * {@inheritDoc}
   *
   * @throws DeviceSourceException when the file is unreadable, not YAML, or a GPU lacks a required
   *     field or repeats a UUID or index
   */
  @Override
  public List<GpuInfo> devices() {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new DeviceSourceException("cannot read GPU file " + file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  /**
   * Parses the file format above; {@code name} only labels error messages.
   *
   * @throws DeviceSourceException on malformed content
   */
  public static List<GpuInfo> parse(String name, String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new DeviceSourceException(
          "GPU file " + name + " is not YAML/JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.path("gpus").isArray()) {
      throw new DeviceSourceException("GPU file " + name + ": expected a top-level \"gpus\" list");
    }
    var out = new ArrayList<GpuInfo>();
    var uuids = new HashSet<String>();
    var indexes = new HashSet<Integer>();
    int i = 0;
    for (JsonNode g : root.get("gpus")) {
      String where = "GPU file " + name + ", gpus[" + i++ + "]";
      String uuid = text(g, "uuid", where);
      int index = integer(g, "index", where);
      long memory = g.path("memoryMiB").isIntegralNumber() ? g.get("memoryMiB").asLong() : -1;
      if (memory <= 0) {
        throw new DeviceSourceException(where + ": \"memoryMiB\" must be a positive integer");
      }
      String type = g.path("type").isTextual() ? g.get("type").asText() : "NVIDIA";
      OptionalInt numa =
          g.has("numa") ? OptionalInt.of(integer(g, "numa", where)) : OptionalInt.empty();
      JsonNode healthy = g.path("healthy");
      if (!healthy.isMissingNode() && !healthy.isBoolean()) {
        throw new DeviceSourceException(where + ": \"healthy\" must be true or false");
      }
      if (!uuids.add(uuid)) {
        throw new DeviceSourceException(where + ": duplicate uuid " + uuid);
      }
      if (!indexes.add(index)) {
        throw new DeviceSourceException(where + ": duplicate index " + index);
      }
      out.add(new GpuInfo(uuid, index, type, memory, numa, healthy.asBoolean(true)));
    }
    out.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return List.copyOf(out);
  }

  private static String text(JsonNode g, String field, String where) {
    JsonNode v = g.path(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new DeviceSourceException(where + ": \"" + field + "\" must be a non-empty string");
    }
    return v.asText();
  }

  private static int integer(JsonNode g, String field, String where) {
    JsonNode v = g.path(field);
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
      throw new DeviceSourceException(where + ": \"" + field + "\" must be a non-negative integer");
    }
    return v.asInt();
  }
}
