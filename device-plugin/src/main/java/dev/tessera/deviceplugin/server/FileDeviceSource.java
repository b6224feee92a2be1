package dev.tessera.deviceplugin.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tessera.deviceplugin.topology.GpuLinks;
import dev.tessera.deviceplugin.topology.LinkType;
import dev.tessera.deviceplugin.topology.TopologySource;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.MigProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 *     links:           # optional: link entries towards peers, by peer index (HAMi's names)
 *       1: [P2PLinkSameCPU, TwoNVLINKLinks]
 *     migProfiles:     # optional: registered in mig mode
 *       - {name: 1g.5gb, memoryMiB: 4864, cores: 14, sliceCount: 1, instanceCount: 7,
 *          placements: [{start: 0, size: 1}, …]}
 * </pre>
 *
 * <p>Also a {@link TopologySource}: the {@code links} give the pair scores (hami-compat §3.2).
 */
public final class FileDeviceSource implements DeviceSource, TopologySource {
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
   * {@inheritDoc}
   *
   * @throws DeviceSourceException when the file is unreadable or malformed, or a link names an
   *     unknown type
   */
  @Override
  public List<GpuLinks> links() {
    List<GpuInfo> gpus = devices();
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new DeviceSourceException("cannot read GPU file " + file + ": " + e.getMessage(), e);
    }
    var byUuid = new HashMap<String, Map<Integer, List<LinkType>>>();
    int i = 0;
    for (JsonNode g : root.get("gpus")) {
      String where = "GPU file " + file + ", gpus[" + i++ + "].links";
      var peers = new HashMap<Integer, List<LinkType>>();
      JsonNode links = g.path("links");
      if (!links.isMissingNode() && !links.isNull() && !links.isObject()) {
        throw new DeviceSourceException(where + ": expected a map of peer index to link names");
      }
      for (var e : links.properties()) {
        int peer;
        try {
          peer = Integer.parseInt(e.getKey());
        } catch (NumberFormatException x) {
          throw new DeviceSourceException(
              where + ": key \"" + e.getKey() + "\" is not a GPU index");
        }
        if (!e.getValue().isArray()) {
          throw new DeviceSourceException(
              where + "." + peer + ": expected a list such as [P2PLinkSameCPU, TwoNVLINKLinks]");
        }
        var types = new ArrayList<LinkType>();
        for (JsonNode n : e.getValue()) {
          types.add(
              LinkType.fromHamiName(n.asText())
                  .orElseThrow(
                      () ->
                          new DeviceSourceException(
                              where
                                  + "."
                                  + peer
                                  + ": unknown link type \""
                                  + n.asText()
                                  + "\"; expected one of HAMi's names, e.g. P2PLinkSameCPU,"
                                  + " SingleNVLINKLink")));
        }
        peers.put(peer, types);
      }
      byUuid.put(g.path("uuid").asText(), peers);
    }
    return gpus.stream()
        .map(g -> new GpuLinks(g.uuid(), g.index(), byUuid.getOrDefault(g.uuid(), Map.of())))
        .toList();
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
      out.add(
          new GpuInfo(
              uuid, index, type, memory, numa, healthy.asBoolean(true), migProfiles(g, where)));
    }
    out.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return List.copyOf(out);
  }

  private static List<MigProfile> migProfiles(JsonNode g, String where) {
    JsonNode list = g.path("migProfiles");
    if (list.isMissingNode() || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new DeviceSourceException(where + ": \"migProfiles\" must be a list");
    }
    var out = new ArrayList<MigProfile>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode p = list.get(i);
      String at = where + ".migProfiles[" + i + "]";
      var placements = new ArrayList<MigPlacement>();
      JsonNode pl = p.path("placements");
      if (!pl.isArray() || pl.isEmpty()) {
        throw new DeviceSourceException(at + ": \"placements\" must be a non-empty list");
      }
      for (int j = 0; j < pl.size(); j++) {
        String pat = at + ".placements[" + j + "]";
        int size = integer(pl.get(j), "size", pat);
        if (size < 1) {
          throw new DeviceSourceException(pat + ": \"size\" must be at least 1");
        }
        placements.add(new MigPlacement(integer(pl.get(j), "start", pat), size));
      }
      out.add(
          new MigProfile(
              text(p, "name", at),
              integer(p, "memoryMiB", at),
              integer(p, "cores", at),
              integer(p, "sliceCount", at),
              integer(p, "instanceCount", at),
              placements));
    }
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
