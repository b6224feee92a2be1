package dev.tessera.engine.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.engine.admission.AdmissionPod;
import dev.tessera.engine.admission.GpuRequests;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.config.DeviceConfigLoader;
import dev.tessera.engine.fit.FitJson;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.VectorKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * HAMi's whole-pod filter vectors through the production path: register annotation decoding, usage
 * accounting of existing pods, request derivation with the device config, and {@link
 * Engine#decide}.
 */
class EngineFilterConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> filterVectors() {
    return HamiVectors.tests(
        VectorKinds.FILTER,
        "calc-score.json",
        Map.of("filter", (in, expect, c) -> checkFilter(in, expect)));
  }

  private static void checkFilter(JsonNode in, JsonNode expect) throws Exception {
    DeviceConfig config =
        DeviceConfigLoader.fromSection(
            "vector", "nvidia", in.path("device_config"), DeviceConfig.builtinDefaults());

    var nodes = new ArrayList<Node>();
    for (var e : in.path("registered_nodes").properties()) {
      // Through the real register codec, as the extender reads node annotations.
      nodes.add(
          Node.of(e.getKey(), NodeRegisterCodec.decode(JSON.writeValueAsString(e.getValue()))));
    }
    var running = new ArrayList<Placement>();
    int i = 0;
    for (JsonNode p : in.path("existing_pods")) {
      running.add(
          new Placement(
              "default/existing-" + i++,
              "",
              p.path("node").asText(),
              0,
              FitJson.containers(p.path("devices").path(GpuRequest.NVIDIA))));
    }
    var snapshot = ClusterSnapshot.of(nodes, running);

    JsonNode podJson = in.path("pod");
    var k8sPod = JSON.createObjectNode();
    k8sPod.putObject("metadata").put("name", "vector-pod").put("namespace", "default");
    var spec = k8sPod.putObject("spec");
    spec.set("initContainers", withResources(podJson.path("init_containers")));
    spec.set("containers", withResources(podJson.path("containers")));
    AdmissionPod pod = AdmissionPod.fromJson(k8sPod);
    var names = new ArrayList<String>();
    var requests = new ArrayList<GpuRequest>();
    Stream.concat(pod.initContainers().stream(), pod.containers().stream())
        .forEach(
            ct -> {
              names.add(ct.name());
              requests.add(GpuRequests.derive(config, ct));
            });
    var request =
        new PodRequest(
            "default",
            "vector-pod",
            "uid",
            FitJson.annotations(podJson.path("annotations")),
            names,
            pod.initContainers().size(),
            requests);

    var engine =
        new Engine(
            new Engine.Options(
                in.path("default_node_policy").asText(), in.path("default_gpu_policy").asText()));
    List<String> candidates = FitJson.strings(in.path("node_names"));
    Decision d = engine.decide(request, snapshot, candidates);

    assertThat(d).isInstanceOf(Decision.Placed.class);
    var placed = (Decision.Placed) d;
    assertThat(List.of(placed.node()))
        .containsExactlyElementsOf(FitJson.strings(expect.path("result").path("nodenames")));
    if (expect.has("first_container_entry_device_in")) {
      var first = placed.containers().get(0);
      assertThat(first).isNotEmpty();
      assertThat(FitJson.strings(expect.path("first_container_entry_device_in")))
          .contains(first.get(0).uuid());
    }
  }

  /** The vectors give containers as {name, limits}; a pod spec nests them under resources. */
  private static JsonNode withResources(JsonNode containers) {
    var arr = JSON.createArrayNode();
    for (JsonNode c : containers) {
      var o = arr.addObject();
      o.put("name", c.path("name").asText());
      var res = o.putObject("resources");
      if (c.has("limits")) {
        res.set("limits", c.path("limits"));
      }
      if (c.has("requests")) {
        res.set("requests", c.path("requests"));
      }
    }
    return arr;
  }
}
