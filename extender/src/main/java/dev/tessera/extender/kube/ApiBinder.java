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
 *   <li>{@link #bind}: {@code POST pods/<name>/binding} with the pod's UID as precondition. When it
 *       does not succeed, the pod is read back: bound to the node already (a lost answer, or a
 *       retried POST answered 409 "already assigned") counts as success. A Binding the API server
 *       refused (a 4xx, or a 409 while the pod is unbound, bound elsewhere or gone) marks the pod
 *       {@code hami.io/bind-phase=failed} (so no informer, ours or a restarted one, counts its
 *       devices again) before the error is thrown. Without an answer (I/O error, timeout, 5xx) and
 *       with the pod not bound yet, the Binding may still land: the pod keeps its allocating
 *       annotations (informers keep counting its devices) and the error says the outcome is
 *       unknown. Either way the caller releases its in-memory booking.
 * </ul>
 *
 * <p>Give it a client with finite timeouts ({@link LiveCluster#clients}): a call to an API server
 * that stopped answering then fails instead of holding an HTTP worker forever.
 *
 * <p>With an {@link AllocationGate}, {@link #annotate} first waits until no pod on the node is
 * still allocating with a signature the device plugin could not tell apart from this one (at most
 * the gate's wait limit, then a {@link BindException}); a failed annotate or refused Binding takes
 * the pod's mark off the gate again (a Binding of unknown outcome leaves it to the informer).
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
    Answer answer = createBinding(pod, node);
    if (answer.ok()) {
      return;
    }
    // The Binding may have been applied although its answer says otherwise: a lost response
    // (I/O error, timeout), or a retried POST answered 409 "already assigned". Marking such a pod
    // failed would stop every informer counting devices it holds, so the pod is read back first.
    PodNow now = podNow(pod);
    if (now.known() && now.exists() && node.equals(now.nodeName())) {
      LOG.info(
          "pod {}: the Binding to {} answered {}, but the pod is bound there: counted as bound",
          pod.key(),
          node,
          answer.text());
      return;
    }
    boolean refused =
        (answer.code() >= 400 && answer.code() < 500 && answer.code() != 409)
            || (now.known()
                && (answer.code() == 409 || !now.exists() || !now.nodeName().isEmpty()));
    if (!refused) {
      // Not answered (or 5xx) and the pod looks unbound or could not be read: the Binding may
      // still be applied. The pod keeps its allocating annotations, so informers go on counting
      // its devices on this node until it shows up bound, is retried or is deleted; over-counting
      // for a while is safe, under-counting would over-commit GPUs.
      throw new BindException(
          "binding pod "
              + pod.key()
              + " to node "
              + node
              + " has an unknown outcome: "
              + answer.text()
              + (now.known()
                  ? "; the pod is not bound yet"
                  : "; reading the pod back failed: " + now.error())
              + "; its devices stay booked until the API server shows it bound or it is retried");
    }
    gate.ifPresent(g -> g.abandon(pod.key()));
    if (!now.known() || now.exists()) {
      markFailed(pod);
    }
    String where =
        now.known() && now.exists() && !now.nodeName().isEmpty()
            ? " (it is bound to " + now.nodeName() + ")"
            : now.known() && !now.exists() ? " (the pod no longer exists)" : "";
    throw new BindException(
        "binding pod " + pod.key() + " to node " + node + " failed: " + answer.text() + where);
  }

  private void markFailed(KubePod pod) {
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
  }

  /** The Binding's answer: {@code code} 0 when none came (I/O error, timeout). */
  private record Answer(int code, String text) {
    boolean ok() {
      return code >= 200 && code < 300;
    }
  }

  /**
   * The pod as the API server has it now.
   *
   * @param known false when it could not be read ({@code error} says why)
   */
  private record PodNow(boolean known, boolean exists, String nodeName, String error) {}

  private PodNow podNow(KubePod pod) {
    try {
      V1Pod p = api.readNamespacedPod(pod.name(), pod.namespace()).execute();
      boolean same =
          pod.uid().isEmpty()
              || p.getMetadata() == null
              || p.getMetadata().getUid() == null
              || pod.uid().equals(p.getMetadata().getUid());
      if (!same) {
        // A new pod of the same name: the one being bound is gone.
        return new PodNow(true, false, "", "");
      }
      String nodeName = p.getSpec() == null ? null : p.getSpec().getNodeName();
      return new PodNow(true, true, nodeName == null ? "" : nodeName, "");
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return new PodNow(true, false, "", "");
      }
      return new PodNow(false, false, "", text(e));
    } catch (RuntimeException e) {
      return new PodNow(false, false, "", e.toString());
    }
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

  /** Posts the Binding and reads only its status code and message. */
  private Answer createBinding(KubePod pod, String node) {
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
        return new Answer(r.code(), "");
      }
      String body = r.body() == null ? "" : r.body().string();
      return new Answer(r.code(), "HTTP " + r.code() + " " + statusMessage(body));
    } catch (IOException e) {
      return new Answer(0, "no answer: " + e);
    } catch (ApiException e) {
      return new Answer(0, String.valueOf(e.getMessage()));
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
