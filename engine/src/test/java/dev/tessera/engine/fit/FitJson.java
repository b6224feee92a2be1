package dev.tessera.engine.fit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.CodecJson;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.MigAllocation;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.MigProfile;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.quota.QuotaResources;
import dev.tessera.engine.quota.QuotaState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Vector JSON (hami-vectors README shapes) to engine model values, for the fit tests. */
public final class FitJson {
  private FitJson() {}

  public static DeviceUsage device(JsonNode d) {
    List<MigProfile> profiles = new ArrayList<>();
    for (JsonNode p : d.path("migProfiles")) {
      profiles.add(profile(p));
    }
    List<MigAllocation> inUse = new ArrayList<>();
    for (JsonNode a : d.path("migAllocationsInUse")) {
      inUse.add(MigAllocation.reserved(a.path("profile").asText(), placement(a.path("placement"))));
    }
    GpuDevice g =
        new GpuDevice(
            d.path("id").asText(),
            d.path("index").asInt(),
            d.path("type").asText(""),
            d.path("totalmem").asInt(),
            d.path("totalcore").asInt(),
            d.path("count").asInt(),
            d.path("numa").asInt(),
            d.path("health").asBoolean(true),
            d.path("mode").asText(""),
            profiles);
    return new DeviceUsage(
        g, d.path("used").asInt(), d.path("usedmem").asInt(), d.path("usedcores").asInt(), inUse);
  }

  public static List<DeviceUsage> devices(JsonNode arr) {
    List<DeviceUsage> out = new ArrayList<>();
    for (JsonNode d : arr) {
      out.add(device(d));
    }
    return out;
  }

  public static MigProfile profile(JsonNode p) {
    return CodecJson.migProfile(p);
  }

  public static List<MigProfile> profiles(JsonNode arr) {
    List<MigProfile> out = new ArrayList<>();
    for (JsonNode p : arr) {
      out.add(profile(p));
    }
    return out;
  }

  public static MigPlacement placement(JsonNode p) {
    return CodecJson.placement(p);
  }

  public static List<MigPlacement> placements(JsonNode arr) {
    List<MigPlacement> out = new ArrayList<>();
    for (JsonNode p : arr) {
      out.add(placement(p));
    }
    return out;
  }

  public static GpuRequest request(JsonNode r) {
    return new GpuRequest(
        r.path("nums").asInt(),
        r.path("type").asText(),
        r.path("memreq").asInt(),
        r.path("mempercentagereq").asInt(),
        r.path("coresreq").asInt());
  }

  public static ContainerDevice containerDevice(JsonNode c) {
    return new ContainerDevice(
        c.path("idx").asInt(),
        c.path("uuid").asText(),
        c.path("type").asText(GpuRequest.NVIDIA),
        c.path("usedmem").asInt(),
        c.path("usedcores").asInt(),
        java.util.Optional.empty());
  }

  public static List<ContainerDevice> containerDevices(JsonNode arr) {
    List<ContainerDevice> out = new ArrayList<>();
    for (JsonNode c : arr) {
      out.add(containerDevice(c));
    }
    return out;
  }

  public static List<List<ContainerDevice>> containers(JsonNode arr) {
    List<List<ContainerDevice>> out = new ArrayList<>();
    for (JsonNode c : arr) {
      out.add(containerDevices(c));
    }
    return out;
  }

  /** Annotations; JSON null or missing gives null. */
  public static Map<String, String> annotations(JsonNode a) {
    if (a == null || a.isMissingNode() || a.isNull()) {
      return null;
    }
    Map<String, String> out = new HashMap<>();
    a.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  public static PairScores pairScores(JsonNode p) {
    Map<String, Map<String, Integer>> out = new HashMap<>();
    p.properties()
        .forEach(
            e -> {
              Map<String, Integer> row = new HashMap<>();
              e.getValue().properties().forEach(x -> row.put(x.getKey(), x.getValue().asInt()));
              out.put(e.getKey(), row);
            });
    return new PairScores(out);
  }

  public static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : arr) {
      out.add(s.asText());
    }
    return out;
  }

  public static Map<String, Integer> intMap(JsonNode o) {
    Map<String, Integer> out = new LinkedHashMap<>();
    o.properties().forEach(e -> out.put(e.getKey(), e.getValue().asInt()));
    return out;
  }

  /** A quota cache built from a vector's quota_state / resource_quotas. */
  public static QuotaState quotaState(JsonNode in) {
    JsonNode names = in.path("resource_names");
    QuotaState q =
        new QuotaState(
            Map.of(
                GpuRequest.NVIDIA,
                new QuotaResources(names.path("memory").asText(), names.path("core").asText())),
            in.path("memory_factor").asInt(1));
    in.path("quota_state")
        .properties()
        .forEach(
            ns ->
                ns.getValue()
                    .properties()
                    .forEach(
                        r -> {
                          JsonNode v = r.getValue();
                          q.addUsage(ns.getKey(), r.getKey(), v.path("used").asLong());
                          if (v.path("limit_set").asBoolean()) {
                            q.setLimit(ns.getKey(), r.getKey(), v.path("limit").asLong());
                          }
                        }));
    for (JsonNode rq : in.path("resource_quotas")) {
      Map<String, String> hard = new HashMap<>();
      rq.path("hard").properties().forEach(e -> hard.put(e.getKey(), e.getValue().asText()));
      q.applyResourceQuota(rq.path("namespace").asText(), hard);
    }
    return q;
  }
}
