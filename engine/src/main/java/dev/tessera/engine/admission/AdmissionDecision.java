package dev.tessera.engine.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhook's answer for one pod, as carried in an AdmissionReview response.
 *
 * @param allowed {@code response.allowed}
 * @param code {@code response.status.code}: 200 when allowed, 403 when denied, 400 or 500 on error
 * @param message {@code response.status.message} (HAMi's exact text for denials); empty when
 *     allowed
 * @param mutatedPod the pod after mutation, when allowed with changes
 * @param patch the RFC 6902 patch from the submitted to the mutated pod; empty when unchanged
 */
public record AdmissionDecision(
    boolean allowed,
    int code,
    String message,
    Optional<JsonNode> mutatedPod,
    List<JsonPatchOp> patch) {

  public AdmissionDecision {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(mutatedPod, "mutatedPod");
    patch = List.copyOf(patch);
  }

  /** Admit the pod unchanged. */
  public static AdmissionDecision allowUnchanged() {
    return new AdmissionDecision(true, 200, "", Optional.empty(), List.of());
  }

  /** Admit the pod with {@code patch} applied (no patch when it is empty). */
  public static AdmissionDecision allow(JsonNode mutatedPod, List<JsonPatchOp> patch) {
    return patch.isEmpty()
        ? allowUnchanged()
        : new AdmissionDecision(true, 200, "", Optional.of(mutatedPod), patch);
  }

  /** Refuse the pod with {@code reason} (Go's {@code admission.Denied}, code 403). */
  public static AdmissionDecision deny(String reason) {
    return new AdmissionDecision(false, 403, reason, Optional.empty(), List.of());
  }

  /** Refuse the pod because processing failed (Go's {@code admission.Errored}). */
  public static AdmissionDecision error(int code, String message) {
    return new AdmissionDecision(false, code, message, Optional.empty(), List.of());
  }

  /** True when a patch is returned. */
  public boolean patched() {
    return !patch.isEmpty();
  }
}
