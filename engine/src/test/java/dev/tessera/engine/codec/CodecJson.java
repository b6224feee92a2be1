package dev.tessera.engine.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.MigProfile;
import dev.tessera.engine.model.MigSlot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Vector JSON shapes (hami-vectors README) to model values, for the codec conformance tests. */
public final class CodecJson {
  private CodecJson() {}

  public static ContainerDevice containerDevice(JsonNode n) {
    Optional<MigSlot> mig = Optional.empty();
    if (n.has("migProfile")) {
      mig =
          Optional.of(new MigSlot(n.get("migProfile").asText(), placement(n.get("migPlacement"))));
    }
    return new ContainerDevice(
        n.path("idx").asInt(0),
        n.path("uuid").asText(),
        n.path("type").asText(),
        n.path("usedmem").asInt(),
        n.path("usedcores").asInt(),
        mig);
  }

  /** Container device as it comes off the wire (index is not on the wire). */
  public static ContainerDevice wireDevice(JsonNode n) {
    ContainerDevice d = containerDevice(n);
    return new ContainerDevice(0, d.uuid(), d.type(), d.usedMemMiB(), d.usedCores(), d.mig());
  }

  public static List<ContainerDevice> container(JsonNode arr) {
    var out = new ArrayList<ContainerDevice>();
    arr.forEach(n -> out.add(containerDevice(n)));
    return out;
  }

  public static List<ContainerDevice> wireContainer(JsonNode arr) {
    var out = new ArrayList<ContainerDevice>();
    arr.forEach(n -> out.add(wireDevice(n)));
    return out;
  }

  public static List<List<ContainerDevice>> containers(JsonNode arr) {
    var out = new ArrayList<List<ContainerDevice>>();
    arr.forEach(c -> out.add(container(c)));
    return out;
  }

  public static Map<String, List<List<ContainerDevice>>> podDevices(JsonNode obj) {
    var out = new LinkedHashMap<String, List<List<ContainerDevice>>>();
    obj.properties().forEach(e -> out.put(e.getKey(), containers(e.getValue())));
    return out;
  }

  public static Map<String, List<List<ContainerDevice>>> wirePodDevices(JsonNode obj) {
    var out = new LinkedHashMap<String, List<List<ContainerDevice>>>();
    obj.properties()
        .forEach(
            e -> {
              var cs = new ArrayList<List<ContainerDevice>>();
              e.getValue().forEach(c -> cs.add(wireContainer(c)));
              out.put(e.getKey(), cs);
            });
    return out;
  }

  public static Map<String, String> strings(JsonNode obj) {
    var out = new LinkedHashMap<String, String>();
    if (obj != null && obj.isObject()) {
      obj.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  public static MigPlacement placement(JsonNode n) {
    return new MigPlacement(n.path("start").asInt(), n.path("size").asInt());
  }

  public static MigProfile migProfile(JsonNode n) {
    var pl = new ArrayList<MigPlacement>();
    n.path("placements").forEach(p -> pl.add(placement(p)));
    return new MigProfile(
        n.path("name").asText(),
        n.path("memoryMB").asInt(),
        n.path("core").asInt(),
        n.path("sliceCount").asInt(),
        n.path("instanceCount").asInt(),
        pl);
  }

  /** A registered device ({@code DeviceInfo} shape); absent keys are zero values. */
  public static GpuDevice registered(JsonNode n) {
    var profiles = new ArrayList<MigProfile>();
    n.path("migProfiles").forEach(p -> profiles.add(migProfile(p)));
    return new GpuDevice(
        n.path("id").asText(),
        n.path("index").asInt(),
        n.path("type").asText(),
        n.path("devmem").asInt(),
        n.path("devcore").asInt(),
        n.path("count").asInt(),
        n.path("numa").asInt(),
        n.path("health").asBoolean(false),
        n.path("mode").asText(""),
        profiles);
  }

  public static List<GpuDevice> registeredList(JsonNode arr) {
    var out = new ArrayList<GpuDevice>();
    arr.forEach(n -> out.add(registered(n)));
    return out;
  }
}
