package dev.tessera.engine.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.CodecJson;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.VectorKinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class UsageAccountingConformanceTest {
  @TestFactory
  Stream<DynamicTest> vectors() {
    return HamiVectors.tests(
        VectorKinds.CODEC,
        "usage-accounting.json",
        Map.of(
            "collapse_init_container_usage", (in, ex, c) -> collapsed(in, ex, PodUsage::collapse),
            "app_containers_only_usage",
                (in, ex, c) -> collapsed(in, ex, PodUsage::appContainersOnly),
            "node_usage",
                (in, ex, c) -> {
                  var registered = CodecJson.registeredList(in.get("registered_devices"));
                  var pods = new ArrayList<CachedPod>();
                  for (JsonNode p : in.get("pods")) {
                    int init = p.path("collapse_first").path("init_container_count").asInt(0);
                    pods.add(
                        new CachedPod(
                            "ns/p" + pods.size(),
                            CodecJson.podDevices(p.get("devices")),
                            init,
                            false,
                            List.of(),
                            Optional.empty()));
                  }
                  List<DeviceUsage> usage = NodeUsage.compute(registered, pods);
                  ex.get("usage")
                      .properties()
                      .forEach(
                          f -> {
                            DeviceUsage u =
                                usage.stream()
                                    .filter(d -> d.id().equals(f.getKey()))
                                    .findFirst()
                                    .orElseThrow();
                            JsonNode w = f.getValue();
                            if (w.has("used")) {
                              assertThat(u.used()).as("used").isEqualTo(w.get("used").asInt());
                            }
                            if (w.has("usedmem")) {
                              assertThat(u.usedMemMiB())
                                  .as("usedmem")
                                  .isEqualTo(w.get("usedmem").asInt());
                            }
                            if (w.has("usedcores")) {
                              assertThat(u.usedCores())
                                  .as("usedcores")
                                  .isEqualTo(w.get("usedcores").asInt());
                            }
                          });
                }));
  }

  private static void collapsed(
      JsonNode in,
      JsonNode ex,
      BiFunction<
              Map<String, List<List<dev.tessera.engine.model.ContainerDevice>>>,
              Integer,
              Map<String, List<CollapsedDevice>>>
          f) {
    var got =
        f.apply(
            CodecJson.podDevices(in.get("pod_devices")), in.get("init_container_count").asInt());
    if (ex.has("slots_of_first")) {
      assertThat(got.values().iterator().next().get(0).slots())
          .isEqualTo(ex.get("slots_of_first").asInt());
    }
    if (ex.has("pod_devices")) {
      // HAMi keeps the collapsed form as one container entry per vendor; an empty entry = no
      // device.
      var want = new LinkedHashMap<String, List<CollapsedDevice>>();
      ex.get("pod_devices")
          .properties()
          .forEach(
              e -> {
                assertThat(e.getValue()).hasSize(1);
                var list = new ArrayList<CollapsedDevice>();
                for (JsonNode d : e.getValue().get(0)) {
                  list.add(
                      new CollapsedDevice(
                          d.get("uuid").asText(),
                          d.get("type").asText(),
                          d.get("usedmem").asInt(),
                          d.get("usedcores").asInt(),
                          d.get("slots").asInt()));
                }
                want.put(e.getKey(), list);
              });
      assertThat(got).isEqualTo(want);
    }
  }
}
