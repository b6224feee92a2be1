package dev.tessera.deviceplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.deviceplugin.allocate.AllocateException;
import dev.tessera.deviceplugin.allocate.AllocationPlan;
import dev.tessera.deviceplugin.allocate.AllocationPlanner;
import dev.tessera.deviceplugin.allocate.AllocatorConfig;
import dev.tessera.deviceplugin.allocate.ContainerSpec;
import dev.tessera.deviceplugin.allocate.HostFiles;
import dev.tessera.deviceplugin.allocate.PendingDevices;
import dev.tessera.deviceplugin.allocate.PodSpec;
import dev.tessera.deviceplugin.config.DevicePluginSettings;
import dev.tessera.deviceplugin.config.NodeConfigFile;
import dev.tessera.deviceplugin.deviceid.DeviceIds;
import dev.tessera.deviceplugin.deviceid.PreferredAllocation;
import dev.tessera.deviceplugin.deviceid.PreferredAllocationException;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.VectorKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** HAMi conformance vectors of {@code device-plugin.json} run through the production code. */
class DevicePluginConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> devicePluginVectors() {
    return HamiVectors.tests(
        VectorKinds.DEVICE_PLUGIN,
        "device-plugin.json",
        Map.of(
            "device_plugin_allocate", (in, ex, c) -> allocate(in, ex),
            "pop_next_container_devices", (in, ex, c) -> pop(in, ex),
            "pop_next_container_devices_sequence", (in, ex, c) -> popSequence(in, ex),
            "next_device_request", (in, ex, c) -> nextRequest(in, ex),
            "physical_device_id",
                (in, ex, c) ->
                    assertThat(DeviceIds.physicalUuid(in.get("kubelet_device_id").asText()))
                        .isEqualTo(ex.get("physical_uuid").asText()),
            "preferred_allocation", (in, ex, c) -> preferred(in, ex),
            "filter_device_to_register", (in, ex, c) -> filterDevice(in, ex),
            "device_plugin_node_config", (in, ex, c) -> nodeConfig(in, ex)));
  }

  // --- Allocate -------------------------------------------------------------------------------

  private static void allocate(JsonNode in, JsonNode ex) {
    var config =
        AllocatorConfig.defaults(in.get("hook_path").asText())
            .withOperatingMode(in.path("operating_mode").asText(AllocatorConfig.MODE_HAMI_CORE))
            .withDeviceMemoryScaling(in.path("device_memory_scaling").asDouble(1.0));
    var planner = new AllocationPlanner(config, HostFiles.empty(), fixedUuids());
    var pod = pod(in.get("pod"));
    var requests = new ArrayList<List<String>>();
    in.get("kubelet_container_requests").forEach(r -> requests.add(strings(r)));

    if (ex.path("error").asBoolean(false)) {
      var thrown = assertThatThrownBy(() -> planner.plan(pod, requests));
      thrown.isInstanceOf(AllocateException.class);
      if (ex.has("error_contains")) {
        thrown.hasMessageContaining(ex.get("error_contains").asText());
      }
      return;
    }
    AllocationPlan plan = planner.plan(pod, requests);
    if (ex.has("pod_patch_calls")) {
      assertThat(plan.podAnnotationPatches()).hasSize(ex.get("pod_patch_calls").asInt());
    }
    if (ex.has("responses")) {
      var want = ex.get("responses");
      assertThat(plan.containers()).hasSize(want.size());
      for (int i = 0; i < want.size(); i++) {
        var got = plan.containers().get(i);
        var w = want.get(i);
        if (w.has("envs_contain")) {
          var envs = new HashMap<String, String>();
          w.get("envs_contain")
              .properties()
              .forEach(e -> envs.put(e.getKey(), e.getValue().asText()));
          assertThat(got.envs()).as("envs of response %d", i).containsAllEntriesOf(envs);
        }
        if (w.has("mounts_ld_so_preload")) {
          assertThat(got.mountsLdSoPreload())
              .as("ld.so.preload mounted in response %d", i)
              .isEqualTo(w.get("mounts_ld_so_preload").asBoolean());
        }
      }
    }
  }

  private static void pop(JsonNode in, JsonNode ex) {
    var pending = PendingDevices.of(podDevices(in.get("pod_single_device")));
    var pod = podOfNames(in);
    if (ex.path("error").asBoolean(false)) {
      var thrown = assertThatThrownBy(() -> pending.pop(pod)).isInstanceOf(AllocateException.class);
      if (ex.has("error_contains")) {
        thrown.hasMessageContaining(ex.get("error_contains").asText());
      }
      return;
    }
    var popped = pending.pop(pod);
    if (ex.has("container")) {
      assertThat(popped.container().name()).isEqualTo(ex.get("container").asText());
    }
    if (ex.has("first_uuid")) {
      assertThat(popped.devices().get(0).uuid()).isEqualTo(ex.get("first_uuid").asText());
    }
    if (ex.has("remaining_devices")) {
      // HAMi's test counts the entries still pending after the pop.
      assertThat(popped.remaining().pendingCount()).isEqualTo(ex.get("remaining_devices").asInt());
    }
  }

  private static void popSequence(JsonNode in, JsonNode ex) {
    var pending = PendingDevices.decode(in.get("annotation").asText());
    var pod = podOfNames(in);
    for (JsonNode step : ex.get("pops")) {
      if (step.path("error").asBoolean(false)) {
        var current = pending;
        assertThatThrownBy(() -> current.pop(pod)).isInstanceOf(AllocateException.class);
        continue;
      }
      var popped = pending.pop(pod);
      assertThat(popped.container().name()).isEqualTo(step.get("container").asText());
      assertThat(popped.devices().get(0).uuid()).isEqualTo(step.get("first_uuid").asText());
      pending = popped.remaining();
    }
  }

  private static void nextRequest(JsonNode in, JsonNode ex) {
    var annotations = stringMap(in.get("annotations"));
    var pod = podOfNames(in);
    String type = in.get("device_type").asText();
    if (ex.path("error").asBoolean(false)) {
      var thrown =
          assertThatThrownBy(() -> PendingDevices.fromAnnotations(annotations, type).next(pod))
              .isInstanceOf(AllocateException.class);
      if (ex.has("error_message")) {
        thrown.hasMessage(ex.get("error_message").asText());
      }
      return;
    }
    var next = PendingDevices.fromAnnotations(annotations, type).next(pod);
    assertThat(next.container().name()).isEqualTo(ex.get("container").asText());
    if (ex.has("uuids")) {
      assertThat(next.devices().stream().map(ContainerDevice::uuid).toList())
          .isEqualTo(strings(ex.get("uuids")));
    }
  }

  // --- device IDs and config ------------------------------------------------------------------

  private static void preferred(JsonNode in, JsonNode ex) {
    var available = strings(in.get("available"));
    var must = strings(in.get("must_include"));
    var annotated = strings(in.get("annotated_uuids"));
    int size = in.get("size").asInt();
    if (ex.path("error").asBoolean(false)) {
      var thrown =
          assertThatThrownBy(() -> PreferredAllocation.select(available, must, annotated, size))
              .isInstanceOf(PreferredAllocationException.class);
      if (ex.has("error_contains")) {
        thrown.hasMessageContaining(ex.get("error_contains").asText());
      }
      return;
    }
    assertThat(PreferredAllocation.select(available, must, annotated, size))
        .containsExactlyInAnyOrderElementsOf(strings(ex.get("selected_set")));
  }

  private static void filterDevice(JsonNode in, JsonNode ex) {
    // Goes through the config.json parser so the filter is read as the plugin reads it.
    ObjectNode entry = JSON.createObjectNode().put("name", "n");
    entry.set("filterdevices", in.get("filterdevices"));
    ObjectNode root = JSON.createObjectNode();
    root.putArray("nodeconfig").add(entry);
    var filter =
        NodeConfigFile.fromTree("config.json", root).entryFor("n").orElseThrow().filterDevices();
    boolean excluded =
        dev.tessera.deviceplugin.config.FilterDevices.excludes(
            filter, in.get("uuid").asText(), in.get("index").asText());
    assertThat(excluded).isEqualTo(ex.get("excluded").asBoolean());
  }

  private static void nodeConfig(JsonNode in, JsonNode ex) {
    var b = in.get("base");
    var base =
        DevicePluginSettings.of(
            b.get("deviceSplitCount").asInt(),
            b.get("deviceMemoryScaling").asDouble(),
            b.get("deviceCoreScaling").asDouble(),
            b.get("libCudaLogLevel").asText());
    var effective =
        NodeConfigFile.fromTree("config.json", in.get("config_json"))
            .apply(base, in.get("node_name").asText());
    var want = ex.get("effective");
    if (want.has("deviceSplitCount")) {
      assertThat(effective.deviceSplitCount()).isEqualTo(want.get("deviceSplitCount").asInt());
    }
    if (want.has("deviceMemoryScaling")) {
      assertThat(effective.deviceMemoryScaling())
          .isEqualTo(want.get("deviceMemoryScaling").asDouble());
    }
    if (want.has("deviceCoreScaling")) {
      assertThat(effective.deviceCoreScaling()).isEqualTo(want.get("deviceCoreScaling").asDouble());
    }
    if (want.has("libCudaLogLevel")) {
      assertThat(effective.libCudaLogLevel()).isEqualTo(want.get("libCudaLogLevel").asText());
    }
  }

  // --- JSON -> model ---------------------------------------------------------------------------

  /** Deterministic cache-file UUIDs: 00000000-0000-0000-0000-000000000001, …2, …. */
  static java.util.function.Supplier<UUID> fixedUuids() {
    long[] next = {0};
    return () -> new UUID(0, ++next[0]);
  }

  static PodSpec pod(JsonNode p) {
    return new PodSpec(
        p.get("uid").asText(),
        p.get("name").asText(),
        p.get("namespace").asText(),
        stringMap(p.get("annotations")),
        containers(p.get("init_containers")),
        containers(p.get("containers")));
  }

  private static PodSpec podOfNames(JsonNode in) {
    return new PodSpec(
        "pod-uid",
        "test-pod",
        "default",
        Map.of(),
        containers(in.get("init_containers")),
        containers(in.get("containers")));
  }

  // Accepts both ["c0", …] and [{"name":"c0","env":{…}}, …].
  private static List<ContainerSpec> containers(JsonNode list) {
    var out = new ArrayList<ContainerSpec>();
    if (list == null) {
      return out;
    }
    for (JsonNode c : list) {
      if (c.isTextual()) {
        out.add(ContainerSpec.named(c.asText()));
      } else {
        out.add(new ContainerSpec(c.get("name").asText(), stringMap(c.get("env"))));
      }
    }
    return out;
  }

  static List<List<ContainerDevice>> podDevices(JsonNode list) {
    var out = new ArrayList<List<ContainerDevice>>();
    for (JsonNode entry : list) {
      var devs = new ArrayList<ContainerDevice>();
      for (JsonNode d : entry) {
        devs.add(
            ContainerDevice.of(
                d.get("uuid").asText(),
                d.get("type").asText(),
                d.get("usedmem").asInt(),
                d.get("usedcores").asInt()));
      }
      out.add(devs);
    }
    return out;
  }

  static Map<String, String> stringMap(JsonNode obj) {
    var m = new HashMap<String, String>();
    if (obj != null && obj.isObject()) {
      obj.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  static List<String> strings(JsonNode arr) {
    var out = new ArrayList<String>();
    arr.forEach(n -> out.add(n.asText()));
    return out;
  }
}
