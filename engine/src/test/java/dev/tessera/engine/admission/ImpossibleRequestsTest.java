package dev.tessera.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.model.GpuRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The webhook refuses GPU requests that cannot be scheduled as written, and admits the nearby ones
 * HAMi schedules as written. Cases: {@code admission/impossible-requests.json}.
 */
class ImpossibleRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DeviceConfig CHART = DeviceConfig.chartDefaults();

  private static PodWebhook webhook(DeviceConfig config) {
    return new PodWebhook(config, WebhookSettings.chartDefaults(), QuotaView.UNLIMITED);
  }

  private static ObjectNode pod(String section, JsonNode limits, JsonNode requests) {
    ObjectNode pod = JSON.createObjectNode();
    ObjectNode c = pod.putObject("spec").putArray(section).addObject().put("name", "train");
    ObjectNode resources = c.putObject("resources");
    if (limits != null) {
      resources.set("limits", limits);
    }
    if (requests != null) {
      resources.set("requests", requests);
    }
    if (section.equals("initContainers")) {
      ((ObjectNode) pod.get("spec")).putArray("containers").addObject().put("name", "main");
    }
    return pod;
  }

  @TestFactory
  Stream<DynamicTest> cases() throws IOException {
    JsonNode file;
    try (InputStream in = getClass().getResourceAsStream("/admission/impossible-requests.json")) {
      file = JSON.readTree(in);
    }
    var tests = new ArrayList<DynamicTest>();
    for (JsonNode c : file.get("cases")) {
      tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> check(c)));
    }
    assertThat(tests).hasSizeGreaterThan(20);
    return tests.stream();
  }

  private static void check(JsonNode c) {
    // Init containers go through the same checks as app containers.
    for (String section : List.of("containers", "initContainers")) {
      ObjectNode pod = pod(section, c.get("limits"), c.get("requests"));
      AdmissionDecision d = webhook(CHART).admit("ns", pod);
      JsonNode expect = c.get("expect");
      assertThat(d.allowed())
          .as("%s in %s: %s", c.get("id"), section, d)
          .isEqualTo(expect.get("allowed").asBoolean());
      if (!d.allowed()) {
        assertThat(d.code()).as("HAMi's code for refused resources").isEqualTo(500);
        if (expect.has("message")) {
          assertThat(d.message()).isEqualTo(expect.get("message").asText());
        }
        for (JsonNode part : expect.path("message_contains")) {
          assertThat(d.message()).contains(part.asText());
        }
        continue;
      }
      // What is admitted with a GPU count is booked as written: the scheduler's derivation does
      // not silently turn it into "no GPU".
      JsonNode admitted = d.mutatedPod().orElse(pod);
      AdmissionContainer ctr =
          AdmissionPod.fromJson(admitted).containers().stream()
              .filter(x -> x.name().equals("train"))
              .findFirst()
              .orElseGet(() -> AdmissionPod.fromJson(admitted).initContainers().get(0));
      OptionalLong count =
          ctr.resource(CHART.resourceCountName())
              .map(v -> Quantity.parse(CHART.resourceCountName(), v).asInt64())
              .orElse(OptionalLong.empty());
      if (count.isPresent() && count.getAsLong() > 0) {
        assertThat(GpuRequests.derive(CHART, ctr)).isNotEqualTo(GpuRequest.NONE);
      }
    }
  }

  @Test
  void bytesAdviceCountsInMemoryFactorUnits() {
    DeviceConfig factor2 = DeviceConfig.chartDefaults().withMemoryFactor(2);
    AdmissionDecision d =
        webhook(factor2)
            .admit(
                "ns",
                pod(
                    "containers",
                    JSON.createObjectNode()
                        .put("nvidia.com/gpu", "1")
                        .put("nvidia.com/gpumem", "8Gi"),
                    null));
    assertThat(d.message())
        .isEqualTo(
            "container train: nvidia.com/gpumem \"8Gi\" is not a MiB count (HAMi reads gpumem in"
                + " units of memoryFactor 2 MiB; write 4096)");
    AdmissionDecision tooBig =
        webhook(factor2)
            .admit(
                "ns",
                pod(
                    "containers",
                    JSON.createObjectNode()
                        .put("nvidia.com/gpu", "1")
                        .put("nvidia.com/gpumem", "1073741824"),
                    null));
    assertThat(tooBig.allowed()).isFalse();
    assertThat(tooBig.message()).contains("at most 1073741823");
  }

  @Test
  void renamedResourcesAreCheckedUnderTheirNames() {
    DeviceConfig renamed =
        CHART.withResourceNames(
            "hami.io/gpu", "hami.io/gpumem", "hami.io/gpumem-percentage", "hami.io/gpucores", "");
    AdmissionDecision d =
        webhook(renamed)
            .admit(
                "ns",
                pod(
                    "containers",
                    JSON.createObjectNode().put("hami.io/gpu", "1").put("hami.io/gpumem", "16Gi"),
                    null));
    assertThat(d.message())
        .startsWith("container train: hami.io/gpumem \"16Gi\" is not a MiB count");
    // The default names mean nothing under a renamed config.
    AdmissionDecision other =
        webhook(renamed)
            .admit(
                "ns",
                pod("containers", JSON.createObjectNode().put("nvidia.com/gpumem", "16Gi"), null));
    assertThat(other.allowed()).isTrue();
  }
}
