package dev.tessera.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.engine.config.DeviceConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Webhook behaviour beyond the HAMi vectors: denials, errors and the exact patch. */
class PodWebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DeviceConfig CHART = DeviceConfig.chartDefaults();
  private static final WebhookSettings SETTINGS = WebhookSettings.chartDefaults();

  private static JsonNode pod(String json) throws Exception {
    return JSON.readTree(json.replace('\'', '"'));
  }

  private static AdmissionDecision admit(DeviceConfig config, QuotaView quota, JsonNode pod) {
    return new PodWebhook(config, SETTINGS, quota).admit("ns", pod);
  }

  @Test
  void bareGpuCountBecomesExclusiveAndIsRedirected() throws Exception {
    JsonNode pod =
        pod(
            "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'x',"
                + "'env':[{'name':'A','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}],"
                + "'resources':{'limits':{'nvidia.com/gpu':'1','nvidia.com/priority':'1'}}}]}}");
    DeviceConfig config =
        CHART.withResourceNames(
            "nvidia.com/gpu",
            "nvidia.com/gpumem",
            "nvidia.com/gpumem-percentage",
            "nvidia.com/gpucores",
            "nvidia.com/priority");
    AdmissionDecision d = admit(config, QuotaView.UNLIMITED, pod);
    assertThat(d.allowed()).isTrue();
    assertThat(JsonPatchOp.toJson(d.patch()).toString())
        .isEqualTo(
            "[{'op':'add','path':'/spec/containers/0/env/1','value':{'name':'CUDA_TASK_PRIORITY','value':'1'}},"
                    .replace('\'', '"')
                + "{'op':'add','path':'/spec/containers/0/resources/limits/nvidia.com~1gpucores','value':'100'},"
                    .replace('\'', '"')
                + "{'op':'add','path':'/spec/schedulerName','value':'hami-scheduler'}]"
                    .replace('\'', '"'));
    assertThat(JsonDiffTest.apply(pod, d.patch())).isEqualTo(d.mutatedPod().orElseThrow());
  }

  @Test
  void runtimeClassAndDefaultGpuNumAreAdded() throws Exception {
    DeviceConfig config =
        new DeviceConfig(
            "nvidia.com/gpu",
            "nvidia.com/gpumem",
            "nvidia.com/gpumem-percentage",
            "nvidia.com/gpucores",
            "nvidia.com/priority",
            false,
            0,
            0,
            1,
            1,
            10,
            1,
            1,
            java.util.OptionalLong.of(0),
            false,
            "force",
            1,
            "nvidia",
            false,
            "none");
    JsonNode pod =
        pod(
            "{'spec':{'schedulerName':'default-scheduler','containers':[{'name':'c',"
                + "'resources':{'limits':{'nvidia.com/gpumem':'1024'}}}]}}");
    AdmissionDecision d = admit(config, QuotaView.UNLIMITED, pod);
    JsonNode m = d.mutatedPod().orElseThrow();
    assertThat(m.at("/spec/runtimeClassName").asText()).isEqualTo("nvidia");
    assertThat(m.at("/spec/schedulerName").asText()).isEqualTo("hami-scheduler");
    assertThat(m.at("/spec/containers/0/resources/limits/nvidia.com~1gpu").asText()).isEqualTo("1");
    assertThat(m.at("/spec/containers/0/resources/limits").has("nvidia.com/gpucores"))
        .as("memory given: shareable, no exclusive cores")
        .isFalse();
    assertThat(m.at("/spec/containers/0/env/0/name").asText())
        .isEqualTo(ContainerMutator.ENV_CORE_POLICY);
    assertThat(JsonDiffTest.apply(pod, d.patch())).isEqualTo(m);
  }

  @Test
  void privilegedContainerInGpuPodIsDenied() throws Exception {
    JsonNode pod =
        pod(
            "{'spec':{'initContainers':[{'name':'setup','securityContext':{'privileged':true}}],"
                + "'containers':[{'name':'c','resources':{'limits':{'nvidia.com/gpu':'1'}}}]}}");
    AdmissionDecision d = admit(CHART, QuotaView.UNLIMITED, pod);
    assertThat(d.allowed()).isFalse();
    assertThat(d.message()).isEqualTo("container setup is privileged");
  }

  @Test
  void privilegedContainerWithoutGpuIsAllowed() throws Exception {
    JsonNode pod =
        pod("{'spec':{'containers':[{'name':'c','securityContext':{'privileged':true}}]}}");
    AdmissionDecision d = admit(CHART, QuotaView.UNLIMITED, pod);
    assertThat(d.allowed()).isTrue();
    assertThat(d.patched()).isFalse();
  }

  @Test
  void quotaIsCheckedOnTheMutatedPodInTheRequestNamespace() throws Exception {
    var asked = new ArrayList<String>();
    QuotaView quota =
        (ns, resource, amount, factor) -> {
          asked.add(ns + " " + resource + " " + amount + " x" + factor);
          return !resource.equals("nvidia.com/gpucores") || amount <= 100;
        };
    JsonNode pod =
        pod("{'spec':{'containers':[{'name':'a','resources':{'limits':{'nvidia.com/gpu':'2'}}}]}}");
    AdmissionDecision d = admit(CHART, quota, pod);
    assertThat(d.allowed()).isFalse();
    assertThat(d.code()).isEqualTo(403);
    assertThat(d.message()).isEqualTo("exceeding resource quota");
    // Exclusive default: 2 GPUs × 100 cores; percentage memory is not counted.
    assertThat(asked).containsExactly("ns nvidia.com/gpumem 0 x1", "ns nvidia.com/gpucores 200 x1");
  }

  @Test
  void percentageOutOfRangeIsAnError500() throws Exception {
    JsonNode pod =
        pod(
            "{'spec':{'containers':[{'name':'c','resources':{'requests':{'nvidia.com/gpu':'1',"
                + "'nvidia.com/gpumem-percentage':'101'}}}]}}");
    AdmissionDecision d = admit(CHART, QuotaView.UNLIMITED, pod);
    assertThat(d.allowed()).isFalse();
    assertThat(d.code()).isEqualTo(500);
    assertThat(d.message()).contains("container c", "nvidia.com/gpumem-percentage", "101");
  }

  @Test
  void malformedPodIsAnError400NamingTheField() throws Exception {
    AdmissionDecision bad =
        admit(
            CHART,
            QuotaView.UNLIMITED,
            pod(
                "{'spec':{'containers':[{'name':'c','resources':{'limits':{'nvidia.com/gpu':'one'}}}]}}"));
    assertThat(bad.code()).isEqualTo(400);
    assertThat(bad.message()).contains("nvidia.com/gpu", "\"one\"");
    AdmissionDecision wrongType =
        admit(CHART, QuotaView.UNLIMITED, pod("{'spec':{'containers':{'name':'c'}}}"));
    assertThat(wrongType.code()).isEqualTo(400);
    assertThat(wrongType.message()).contains("spec.containers");
  }

  @Test
  void otherSchedulersArePassedThroughButOwnAndDefaultAreTakenOver() throws Exception {
    for (var sched : List.of("volcano", "hami-scheduler", "default-scheduler")) {
      JsonNode pod =
          pod(
              "{'spec':{'schedulerName':'"
                  + sched
                  + "','containers':[{'name':'c',"
                  + "'resources':{'limits':{'nvidia.com/gpu':'1'}}}]}}");
      AdmissionDecision d = admit(CHART, QuotaView.UNLIMITED, pod);
      assertThat(d.allowed()).isTrue();
      assertThat(d.patched()).as(sched).isEqualTo(!sched.equals("volcano"));
    }
    JsonNode pod =
        pod(
            "{'spec':{'schedulerName':'default-scheduler','containers':[{'name':'c',"
                + "'resources':{'limits':{'nvidia.com/gpu':'1'}}}]}}");
    AdmissionDecision d =
        new PodWebhook(CHART, new WebhookSettings("hami-scheduler", false), QuotaView.UNLIMITED)
            .admit(pod);
    assertThat(d.patched()).isFalse();
  }

  @Test
  void overwriteEnvHidesGpusFromGpuLessContainers() throws Exception {
    DeviceConfig config =
        AdmissionConformanceTest.config(
            JSON.readTree("{\"resourceCountName\":\"nvidia.com/gpu\",\"overwriteEnv\":true}"));
    JsonNode pod = pod("{'spec':{'containers':[{'name':'c'}]}}");
    AdmissionDecision d = admit(config, QuotaView.UNLIMITED, pod);
    assertThat(JsonPatchOp.toJson(d.patch()).toString())
        .isEqualTo(
            "[{'op':'add','path':'/spec/containers/0/env','value':[{'name':'NVIDIA_VISIBLE_DEVICES','value':'none'}]}]"
                .replace('\'', '"'));
  }
}
