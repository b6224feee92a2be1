package dev.tessera.extender.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.engine.admission.PodWebhook;
import dev.tessera.engine.admission.QuotaView;
import dev.tessera.engine.admission.WebhookSettings;
import dev.tessera.engine.config.DeviceConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests the scheduler could not book as written come back to the API server as a refusal in the
 * review the API server sent (v1 and v1beta1), naming the container, the resource and the value.
 */
class ImpossibleRequestReviewTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AdmissionReviews reviews =
      new AdmissionReviews(
          new PodWebhook(
              DeviceConfig.chartDefaults(), WebhookSettings.chartDefaults(), QuotaView.UNLIMITED));

  private static JsonNode review(String apiVersion, String resource, String value)
      throws Exception {
    return JSON.readTree(
        ("{'apiVersion':'%s','kind':'AdmissionReview','request':{'uid':'u-7',"
                + "'kind':{'group':'','version':'v1','kind':'Pod'},'operation':'CREATE',"
                + "'namespace':'team','object':{'apiVersion':'v1','kind':'Pod',"
                + "'metadata':{'name':'p'},'spec':{'containers':[{'name':'train',"
                + "'resources':{'limits':{'nvidia.com/gpu':'1','%s':'%s'}}}]}}}}")
            .formatted(apiVersion, resource, value)
            .replace('\'', '"'));
  }

  @ParameterizedTest(name = "{0}: {1}={2}")
  @CsvSource({
    "admission.k8s.io/v1, nvidia.com/gpumem, 16Gi, is not a MiB count (HAMi reads gpumem in MiB; write 16384)",
    "admission.k8s.io/v1beta1, nvidia.com/gpumem, 16Gi, write 16384",
    "admission.k8s.io/v1, nvidia.com/gpucores, 150, got 150",
    "admission.k8s.io/v1, nvidia.com/gpu, 500m, is not a whole number of GPUs",
  })
  void refusedWithTheContainerResourceAndValue(
      String apiVersion, String resource, String value, String advice) throws Exception {
    // A fractional count replaces the review's whole count; the other cases add to gpu: 1.
    JsonNode out = reviews.answer(review(apiVersion, resource, value));

    assertThat(out.path("apiVersion").asText()).isEqualTo(apiVersion);
    JsonNode response = out.path("response");
    assertThat(response.path("uid").asText()).isEqualTo("u-7");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
    assertThat(response.path("status").path("message").asText())
        .startsWith("container train: " + resource)
        .contains(value)
        .contains(advice);
  }
}
