package dev.tessera.extender.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.admission.AdmissionDecision;
import dev.tessera.engine.admission.JsonPatchOp;
import dev.tessera.engine.admission.PodWebhook;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Answers {@code AdmissionReview} requests ({@code admission.k8s.io/v1}, and {@code v1beta1} as
 * HAMi's chart registers) with the engine's {@link PodWebhook} decision (hami-compat §5): the
 * response echoes the request's {@code apiVersion} and {@code uid}, carries {@code allowed}, a
 * {@code status} with code and message when refused, and a base64 {@code JSONPatch} when the pod
 * was changed. Objects other than pods, and operations other than CREATE, are allowed untouched.
 */
public final class AdmissionReviews {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final PodWebhook webhook;

  public AdmissionReviews(PodWebhook webhook) {
    this.webhook = Objects.requireNonNull(webhook, "webhook");
  }

  /**
   * The response review for {@code review}.
   *
   * @throws IllegalArgumentException when {@code review} is not an AdmissionReview with a request
   *     and a uid (the HTTP layer answers 400 with this message)
   */
  public ObjectNode answer(JsonNode review) {
    if (review == null || !review.isObject()) {
      throw new IllegalArgumentException("expected an AdmissionReview object");
    }
    JsonNode request = review.path("request");
    if (!request.isObject()) {
      throw new IllegalArgumentException("AdmissionReview: field request is required");
    }
    String uid = request.path("uid").asText("");
    if (uid.isEmpty()) {
      throw new IllegalArgumentException("AdmissionReview: field request.uid is required");
    }
    String apiVersion = review.path("apiVersion").asText("admission.k8s.io/v1");

    AdmissionDecision d;
    String kind = request.path("kind").path("kind").asText("Pod");
    String operation = request.path("operation").asText("CREATE");
    if (!"Pod".equals(kind) || !"CREATE".equals(operation)) {
      d = AdmissionDecision.allowUnchanged();
    } else {
      d = webhook.admit(request.path("namespace").asText(""), request.path("object"));
    }

    ObjectNode out = F.objectNode();
    out.put("apiVersion", apiVersion);
    out.put("kind", "AdmissionReview");
    ObjectNode response = out.putObject("response");
    response.put("uid", uid);
    response.put("allowed", d.allowed());
    if (!d.allowed()) {
      ObjectNode status = response.putObject("status");
      status.put("code", d.code());
      status.put("message", d.message());
      if (d.code() == 403) {
        status.put("reason", "Forbidden");
      }
    }
    if (d.patched()) {
      byte[] patch = JsonPatchOp.toJson(d.patch()).toString().getBytes(StandardCharsets.UTF_8);
      response.put("patchType", "JSONPatch");
      response.put("patch", Base64.getEncoder().encodeToString(patch));
    }
    return out;
  }
}
