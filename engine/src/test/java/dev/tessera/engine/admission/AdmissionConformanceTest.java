package dev.tessera.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.config.DeviceConfigLoader;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.VectorKinds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** HAMi vectors for request derivation, webhook mutation and decisions, and admission quota. */
class AdmissionConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> requestsAndAdmission() {
    return HamiVectors.tests(
        VectorKinds.ADMISSION,
        "requests-and-admission.json",
        Map.of(
            "generate_resource_requests", AdmissionConformanceTest::generateResourceRequests,
            "mutate_admission_container", AdmissionConformanceTest::mutateAdmissionContainer,
            "webhook_admission", AdmissionConformanceTest::webhookAdmission));
  }

  @TestFactory
  Stream<DynamicTest> quota() {
    return HamiVectors.tests(
        VectorKinds.ADMISSION,
        "quota.json",
        Map.of("admission_quota", AdmissionConformanceTest::admissionQuota));
  }

  private static void generateResourceRequests(
      JsonNode input, JsonNode expect, HamiVectors.VectorCase c) {
    GpuRequest r =
        GpuRequests.derive(config(input.get("config")), container(input.get("container")));
    if (expect.has("request")) {
      JsonNode e = expect.get("request");
      assertThat(r)
          .isEqualTo(
              new GpuRequest(
                  e.get("nums").asInt(),
                  e.get("type").asText(),
                  e.get("memreq").asInt(),
                  e.get("mempercentagereq").asInt(),
                  e.get("coresreq").asInt()));
    }
    if (expect.has("request_memreq")) {
      assertThat(r.memoryMiB()).isEqualTo(expect.get("request_memreq").asInt());
    }
    if (expect.has("request_mempercentagereq")) {
      assertThat(r.memoryPercent()).isEqualTo(expect.get("request_mempercentagereq").asInt());
    }
  }

  private static void mutateAdmissionContainer(
      JsonNode input, JsonNode expect, HamiVectors.VectorCase c) {
    DeviceConfig config = config(input.get("config"));
    AdmissionContainer container = container(input.get("container"));
    JsonNode rc = input.path("pod_runtime_class_name");
    Optional<String> podRuntimeClass = rc.isTextual() ? Optional.of(rc.asText()) : Optional.empty();
    var mutator = new ContainerMutator(config);
    if (expect.path("error").asBoolean(false)) {
      assertThatThrownBy(() -> mutator.mutate(container, podRuntimeClass))
          .isInstanceOf(InvalidResourceException.class)
          .hasMessageContaining(config.resourceMemoryPercentageName());
      return;
    }
    ContainerMutation m = mutator.mutate(container, podRuntimeClass);
    AdmissionContainer after = m.applyTo(container);
    if (expect.has("has_resource")) {
      assertThat(m.hasResource()).isEqualTo(expect.get("has_resource").asBoolean());
    }
    if (expect.has("env_contains")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expect.get("env_contains").fields();
          it.hasNext(); ) {
        var e = it.next();
        assertThat(m.envToAdd()).contains(new EnvVar(e.getKey(), e.getValue().asText()));
      }
    }
    if (expect.has("limits_core_present")) {
      assertThat(after.limits().containsKey(config.resourceCoreName()))
          .isEqualTo(expect.get("limits_core_present").asBoolean());
    }
    if (expect.has("limits_core_value")) {
      assertThat(Quantity.parse("core", after.limits().get(config.resourceCoreName())).asInt64())
          .hasValue(expect.get("limits_core_value").asLong());
    }
    if (expect.has("requests_core_value")) {
      assertThat(Quantity.parse("core", after.requests().get(config.resourceCoreName())).asInt64())
          .hasValue(expect.get("requests_core_value").asLong());
    }
    if (expect.has("pod_runtime_class_name")) {
      assertThat(m.runtimeClassName().or(() -> podRuntimeClass))
          .hasValue(expect.get("pod_runtime_class_name").asText());
    }
  }

  private static void webhookAdmission(JsonNode input, JsonNode expect, HamiVectors.VectorCase c) {
    var webhook =
        new PodWebhook(
            config(input.get("device_config")),
            new WebhookSettings(
                input.get("scheduler_name").asText(),
                input.get("force_overwrite_default_scheduler").asBoolean()),
            QuotaView.UNLIMITED);
    ObjectNode pod = podJson(input.get("pod"));
    ObjectNode original = pod.deepCopy();
    AdmissionDecision d = webhook.admit("default", pod);
    assertThat(pod).as("input pod is not modified").isEqualTo(original);
    if (expect.has("allowed")) {
      assertThat(d.allowed()).isEqualTo(expect.get("allowed").asBoolean());
    }
    if (expect.has("message")) {
      assertThat(d.message()).isEqualTo(expect.get("message").asText());
    }
    if (expect.has("patched")) {
      assertThat(d.patched()).isEqualTo(expect.get("patched").asBoolean());
    }
    if (expect.has("json_patch_contains")) {
      JsonNode want = expect.get("json_patch_contains");
      var ops = new ArrayList<String>();
      want.get("op_in").forEach(o -> ops.add(o.asText()));
      assertThat(d.patch())
          .anySatisfy(
              op -> {
                assertThat(op.path()).isEqualTo(want.get("path").asText());
                assertThat(op.op()).isIn(ops);
                assertThat(op.value()).hasValue(want.get("value"));
              });
    }
  }

  private static void admissionQuota(JsonNode input, JsonNode expect, HamiVectors.VectorCase c) {
    JsonNode names = input.get("resource_names");
    int factor = input.get("memory_factor").asInt();
    DeviceConfig config =
        new DeviceConfig(
            names.get("count").asText(),
            names.get("memory").asText(),
            names.get("memory_percentage").asText(),
            names.get("core").asText(),
            "",
            false,
            0,
            0,
            0,
            factor,
            0,
            0,
            0,
            java.util.OptionalLong.empty(),
            false,
            "",
            0,
            "",
            false,
            "");
    // The scheduler's real quota cache, filled from the vector.
    QuotaView quota = dev.tessera.engine.fit.FitJson.quotaState(input);
    boolean fit =
        AdmissionQuota.fits(
            config,
            quota,
            input.get("namespace").asText(),
            containers(input.get("init_containers")),
            containers(input.get("containers")));
    assertThat(fit).isEqualTo(expect.get("fit").asBoolean());
  }

  static DeviceConfig config(JsonNode node) {
    return DeviceConfigLoader.fromSection("vector", "config", node, DeviceConfig.builtinDefaults());
  }

  static AdmissionContainer container(JsonNode node) {
    return new AdmissionContainer(
        node.path("name").asText("c"),
        quantities(node.path("limits")),
        quantities(node.path("requests")),
        node.path("privileged").asBoolean(false));
  }

  private static List<AdmissionContainer> containers(JsonNode list) {
    var out = new ArrayList<AdmissionContainer>();
    list.forEach(n -> out.add(container(n)));
    return out;
  }

  private static Map<String, String> quantities(JsonNode node) {
    var out = new LinkedHashMap<String, String>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** A vector's short pod form as Kubernetes Pod JSON. */
  static ObjectNode podJson(JsonNode pod) {
    ObjectNode root = JSON.createObjectNode();
    root.put("apiVersion", "v1").put("kind", "Pod");
    root.putObject("metadata").put("name", "test-pod").put("namespace", "default");
    ObjectNode spec = root.putObject("spec");
    for (String k : List.of("schedulerName", "nodeName", "runtimeClassName")) {
      if (pod.hasNonNull(k)) {
        spec.put(k, pod.get(k).asText());
      }
    }
    for (String k : List.of("initContainers", "containers")) {
      if (!pod.has(k)) {
        continue;
      }
      var arr = spec.putArray(k);
      for (JsonNode c : pod.get(k)) {
        ObjectNode o = arr.addObject();
        o.put("name", c.path("name").asText());
        ObjectNode res = o.putObject("resources");
        if (c.has("limits")) {
          res.set("limits", c.get("limits").deepCopy());
        }
        if (c.has("requests")) {
          res.set("requests", c.get("requests").deepCopy());
        }
        if (c.path("privileged").asBoolean(false)) {
          o.putObject("securityContext").put("privileged", true);
        }
      }
    }
    return root;
  }
}
