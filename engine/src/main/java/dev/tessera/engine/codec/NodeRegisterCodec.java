package dev.tessera.engine.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.MigProfile;
import dev.tessera.engine.model.PairScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of {@code hami.io/node-nvidia-register} (hami-compat §3.1.1): an array of {@code
 * DeviceInfo} objects written by Go {@code encoding/json} with {@code omitempty}, so zero values
 * are omitted on encode and absent keys read as zero on decode.
 */
public final class NodeRegisterCodec {
  private NodeRegisterCodec() {}

  private static final String A = Annotations.NODE_REGISTER;

  /** A node's NVIDIA devices and link scores as the scheduler reads them from its annotations. */
  public record NodeDevices(List<GpuDevice> devices, PairScores pairScores) {
    public NodeDevices {
      devices = List.copyOf(devices);
    }
  }

  /**
   * Encodes devices in register order; keys in HAMi's order (id, index, count, devmem, devcore,
   * type, numa, mode, migProfiles, health) with zero values omitted, so the bytes equal HAMi's.
   */
  public static String encode(List<GpuDevice> devices) {
    ArrayNode arr = StrictJson.MAPPER.createArrayNode();
    for (GpuDevice d : devices) {
      ObjectNode o = arr.addObject();
      putString(o, "id", d.uuid());
      putInt(o, "index", d.index());
      putInt(o, "count", d.splitCount());
      putInt(o, "devmem", d.memoryMiB());
      putInt(o, "devcore", d.cores());
      putString(o, "type", d.type());
      putInt(o, "numa", d.numa());
      putString(o, "mode", d.mode());
      if (!d.migProfiles().isEmpty()) {
        ArrayNode profiles = o.putArray("migProfiles");
        d.migProfiles().forEach(p -> profiles.add(migProfileNode(p)));
      }
      if (d.healthy()) {
        o.put("health", true);
      }
    }
    return arr.toString();
  }

  /**
   * Encodes one MIG profile byte-exactly as the device plugin does: {@code instanceCount} is
   * internal to the plugin and never serialised.
   */
  public static String encodeMigProfile(MigProfile p) {
    return migProfileNode(p).toString();
  }

  private static ObjectNode migProfileNode(MigProfile p) {
    ObjectNode o = StrictJson.MAPPER.createObjectNode();
    o.put("name", p.name());
    o.put("memoryMB", p.memoryMiB());
    o.put("core", p.cores());
    o.put("sliceCount", p.sliceCount());
    ArrayNode pl = o.putArray("placements");
    for (MigPlacement m : p.placements()) {
      pl.addObject().put("start", m.start()).put("size", m.size());
    }
    return o;
  }

  private static void putString(ObjectNode o, String k, String v) {
    if (v != null && !v.isEmpty()) {
      o.put(k, v);
    }
  }

  private static void putInt(ObjectNode o, String k, int v) {
    if (v != 0) {
      o.put(k, v);
    }
  }

  /**
   * Decodes a register annotation value (Go {@code json.Unmarshal} into {@code []*DeviceInfo}). An
   * empty array decodes to an empty list here; {@link #nodeDevices} is where {@code []} is
   * rejected.
   *
   * @throws AnnotationDecodeException on malformed JSON, a wrong JSON type, or an out-of-range
   *     number (index is a Go uint, count/devmem/devcore are int32)
   */
  public static List<GpuDevice> decode(String value) {
    JsonNode root = StrictJson.parse(A, value, "a JSON array of device objects");
    var out = new ArrayList<GpuDevice>();
    for (JsonNode o : StrictJson.array(A, root, "the device list")) {
      if (o.isNull()) {
        // Go leaves a null element of []*DeviceInfo as a nil pointer, which HAMi then dereferences.
        throw new AnnotationDecodeException(A, value, "device objects, got null");
      }
      StrictJson.object(A, o, "a device");
      out.add(
          new GpuDevice(
              StrictJson.string(A, o, "id"),
              (int) StrictJson.integer(A, o, "index", 0, Integer.MAX_VALUE),
              StrictJson.string(A, o, "type"),
              int32(o, "devmem"),
              int32(o, "devcore"),
              int32(o, "count"),
              (int) StrictJson.integer(A, o, "numa", Integer.MIN_VALUE, Integer.MAX_VALUE),
              StrictJson.bool(A, o, "health"),
              StrictJson.string(A, o, "mode"),
              migProfiles(o)));
    }
    return out;
  }

  private static int int32(JsonNode o, String key) {
    return (int) StrictJson.integer(A, o, key, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  private static List<MigProfile> migProfiles(JsonNode device) {
    var out = new ArrayList<MigProfile>();
    for (JsonNode p : StrictJson.array(A, device.get("migProfiles"), "migProfiles")) {
      if (p.isNull()) {
        out.add(new MigProfile("", 0, 0, 0, 0, List.of()));
        continue;
      }
      StrictJson.object(A, p, "a MIG profile");
      var placements = new ArrayList<MigPlacement>();
      for (JsonNode pl : StrictJson.array(A, p.get("placements"), "placements")) {
        if (pl.isNull()) {
          placements.add(new MigPlacement(0, 0));
          continue;
        }
        StrictJson.object(A, pl, "a MIG placement");
        placements.add(new MigPlacement(int32(pl, "start"), int32(pl, "size")));
      }
      out.add(
          new MigProfile(
              StrictJson.string(A, p, "name"),
              int32(p, "memoryMB"),
              int32(p, "core"),
              int32(p, "sliceCount"),
              0,
              placements));
    }
    return out;
  }

  /**
   * Reads a node's NVIDIA devices the way HAMi's NVIDIA backend does: only the JSON form is
   * accepted, and the optional pair-score annotation must decode too, or the whole node is
   * rejected.
   *
   * @throws AnnotationDecodeException with HAMi's texts {@code annos not found
   *     hami.io/node-nvidia-register} and {@code no gpu found on node}
   */
  public static NodeDevices nodeDevices(Map<String, String> nodeAnnotations) {
    String value = nodeAnnotations.get(A);
    if (value == null) {
      throw AnnotationDecodeException.withHamiText(
          A, "", "the annotation to be present", "annos not found " + A, null);
    }
    List<GpuDevice> devices = decode(value);
    if (devices.isEmpty()) {
      throw AnnotationDecodeException.withHamiText(
          A, value, "at least one device", "no gpu found on node", null);
    }
    String scores = nodeAnnotations.get(Annotations.NODE_PAIR_SCORE);
    PairScores pairs = scores == null ? PairScores.NONE : PairScoresCodec.decode(scores);
    return new NodeDevices(devices, pairs);
  }
}
