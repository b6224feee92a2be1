package dev.tessera.extender.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.BindPhase;
import dev.tessera.extender.state.BindException;
import dev.tessera.extender.state.Binder;
import dev.tessera.extender.wire.KubePod;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Binding;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Binder} against the API server (hami-compat §6.4, without HAMi's node lock: the device
 * plugin finds the pod by its {@code allocating} bind phase, its fallback search of §8.3).
 *
 * <ul>
 *   <li>{@link #annotate}: one JSON merge patch on {@code metadata.annotations} and {@code
 *       metadata.labels}, without resourceVersion, as HAMi writes its pod annotations (§4.2);
 *   <li>{@link #bind}: {@code POST pods/<name>/binding} with the pod's UID as precondition. When
 *       the API server refuses, the pod is marked {@code hami.io/bind-phase=failed} (so no
 *       informer, ours or a restarted one, counts its devices again) before the error is thrown;
 *       the caller releases its booking.
 * </ul>
 *
 * <p>With an {@link AllocationGate}, {@link #annotate} first waits until no pod on the node is
 * still allocating with a signature the device plugin could not tell apart from this one (at most
 * the gate's wait limit, then a {@link BindException}); a failed annotate or Binding takes the
 * pod's mark off the gate again.
 */
public final class ApiBinder implements Binder {
  private static final Logger LOG = LoggerFactory.getLogger(ApiBinder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiClient client;
  private final CoreV1Api api;
  private final Optional<AllocationGate> gate;

  /**
   * A binder without a bind gate: same-signature pods on one node may reach the plugin together.
   */
  public ApiBinder(ApiClient client) {
    this(client, Optional.empty());
  }

  /** A binder that passes every GPU pod through {@code gate} before annotating it. */
  public ApiBinder(ApiClient client, Optional<AllocationGate> gate) {
    this.client = Objects.requireNonNull(client, "client");
    this.api = new CoreV1Api(client);
    this.gate = Objects.requireNonNull(gate, "gate");
  }

  @Override
  public void annotate(KubePod pod, Map<String, String> annotations, Map<String, String> labels) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = patch.putObject("metadata");
    if (!annotations.isEmpty()) {
      ObjectNode a = meta.putObject("annotations");
      annotations.forEach(a::put);
    }
    if (!labels.isEmpty()) {
      ObjectNode l = meta.putObject("labels");
      labels.forEach(l::put);
    }
    String node = annotations.get(Annotations.VGPU_NODE);
    if (gate.isPresent() && node != null) {
      gate.get().enter(pod.key(), node, annotations);
    }
    try {
      mergePatch(pod, patch);
    } catch (RuntimeException e) {
      gate.ifPresent(g -> g.abandon(pod.key()));
      throw e;
    } catch (ApiException e) {
      gate.ifPresent(g -> g.abandon(pod.key()));
      throw new BindException(
          "pod "
              + pod.key()
              + ": writing annotations "
              + annotations.keySet()
              + " failed: "
              + text(e),
          e);
    }
  }

  @Override
  public void bind(KubePod pod, String node) {
    String failure = createBinding(pod, node);
    if (failure == null) {
      return;
    }
    gate.ifPresent(g -> g.abandon(pod.key()));
    ObjectNode failed = JsonNodeFactory.instance.objectNode();
    failed
        .putObject("metadata")
        .putObject("annotations")
        .put(Annotations.BIND_PHASE, BindPhase.FAILED.wire());
    try {
      mergePatch(pod, failed);
    } catch (ApiException e) {
      // The caller releases the booking regardless; a restarted informer would count it again
      // until the pod is retried or deleted, which HAMi also does.
      LOG.warn(
          "pod {}: marking {} failed also failed: {}", pod.key(), Annotations.BIND_PHASE, text(e));
    }
    throw new BindException(
        "binding pod " + pod.key() + " to node " + node + " failed: " + failure);
  }

  private void mergePatch(KubePod pod, ObjectNode patch) throws ApiException {
    String body;
    try {
      body = JSON.writeValueAsString(patch);
    } catch (IOException e) {
      throw new IllegalStateException("patch not serialisable", e);
    }
    PatchUtils.patch(
        V1Pod.class,
        () ->
            api.patchNamespacedPod(pod.name(), pod.namespace(), new V1Patch(body)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
        client);
  }

  /** Posts the Binding; null on success, else the API server's answer. */
  private String createBinding(KubePod pod, String node) {
    V1ObjectMeta meta = new V1ObjectMeta().name(pod.name()).namespace(pod.namespace());
    if (!pod.uid().isEmpty()) {
      meta.uid(pod.uid());
    }
    V1Binding binding =
        new V1Binding().metadata(meta).target(new V1ObjectReference().kind("Node").name(node));
    // The API server answers with a Status, which client-java's typed V1Binding reader rejects
    // ("field status is not defined"), so the raw call is made and only the code is read.
    try (Response r =
        api.createNamespacedPodBinding(pod.name(), pod.namespace(), binding)
            .buildCall(null)
            .execute()) {
      if (r.isSuccessful()) {
        return null;
      }
      String body = r.body() == null ? "" : r.body().string();
      return "HTTP " + r.code() + " " + statusMessage(body);
    } catch (IOException | ApiException e) {
      return e.getMessage();
    }
  }

  private static String text(ApiException e) {
    String body = e.getResponseBody();
    return body == null || body.isEmpty()
        ? String.valueOf(e.getMessage())
        : "HTTP " + e.getCode() + " " + statusMessage(body);
  }

  private static String statusMessage(String body) {
    try {
      var n = JSON.readTree(body);
      if (n != null && n.hasNonNull("message")) {
        return n.get("message").asText();
      }
    } catch (IOException e) {
      // Not a Status: show the body as it came.
    }
    return body;
  }
}
