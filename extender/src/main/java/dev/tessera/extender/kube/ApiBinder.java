package dev.tessera.extender.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.BindPhase;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Placement;
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
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Binder} against the API server, in HAMi's order (hami-compat §6.4) without its node lock:
 *
 * <ol>
 *   <li>book the placement in the {@link ClusterState} (assume), so concurrent decisions see it;
 *   <li>one JSON merge patch on the pod with everything HAMi's filter and bind write: {@code
 *       hami.io/vgpu-devices-to-allocate}, {@code hami.io/vgpu-devices-allocated} (and {@code
 *       hami.io/vgpu-mig-allocations} for MIG), {@code hami.io/vgpu-node} (annotation and label),
 *       {@code hami.io/vgpu-time}, {@code hami.io/bind-phase=allocating} and {@code
 *       hami.io/bind-time};
 *   <li>{@code POST pods/<name>/binding}.
 * </ol>
 *
 * <p>Tessera returns every feasible node from filter, so the device annotations are written at
 * bind, once the node is final, rather than at filter. The device plugin finds the pod by its
 * {@code allocating} bind phase (its fallback search, §8.3), so no 5-minute node lock is taken.
 *
 * <p>If the patch fails the booking is released. If the Binding fails the pod is marked {@code
 * hami.io/bind-phase=failed} (which {@link HamiObjects#placement} reads as released) and the
 * booking is released.
 */
public final class ApiBinder implements Binder {
  private static final Logger LOG = LoggerFactory.getLogger(ApiBinder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiClient client;
  private final CoreV1Api api;
  private final ClusterState state;
  private final Clock clock;

  public ApiBinder(ApiClient client, ClusterState state, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.api = new CoreV1Api(client);
    this.state = Objects.requireNonNull(state, "state");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The annotations written on the pod for {@code placement} at {@code unixSeconds}. */
  public static Map<String, String> annotations(Placement placement, long unixSeconds) {
    var out = new LinkedHashMap<String, String>();
    out.putAll(
        PodDevicesCodec.patchAnnotations(Map.of(GpuRequest.NVIDIA, placement.containers())));
    out.put(Annotations.VGPU_NODE, placement.node());
    out.put(Annotations.VGPU_TIME, Long.toString(unixSeconds));
    out.put(Annotations.BIND_PHASE, BindPhase.ALLOCATING.wire());
    out.put(Annotations.BIND_TIME, Long.toString(unixSeconds));
    return out;
  }

  @Override
  public void bind(String namespace, String name, String uid, Placement placement)
      throws BindException {
    String pod = namespace + "/" + name;
    if (!placement.podKey().equals(pod)) {
      throw new IllegalArgumentException(
          "placement is for " + placement.podKey() + ", bind is for " + pod);
    }
    String node = placement.node();
    try {
      state.assume(placement);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new BindException("bind " + pod + " to " + node + ": " + e.getMessage(), e);
    }
    long now = clock.instant().getEpochSecond();
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = patch.putObject("metadata");
    ObjectNode ann = meta.putObject("annotations");
    annotations(placement, now).forEach(ann::put);
    meta.putObject("labels").put(Annotations.VGPU_NODE, node);
    try {
      mergePatch(namespace, name, patch);
    } catch (ApiException e) {
      state.forget(pod);
      throw new BindException(
          "bind " + pod + " to " + node + ": patching the pod annotations failed: " + text(e), e);
    }
    String failure = createBinding(namespace, name, uid, node);
    if (failure == null) {
      return;
    }
    ObjectNode failed = JsonNodeFactory.instance.objectNode();
    failed
        .putObject("metadata")
        .putObject("annotations")
        .put(Annotations.BIND_PHASE, BindPhase.FAILED.wire());
    try {
      mergePatch(namespace, name, failed);
    } catch (ApiException e) {
      // The booking is released below anyway; the informer keeps counting the pod until then.
      LOG.warn("pod {}: marking bind-phase failed also failed: {}", pod, text(e));
    }
    state.forget(pod);
    throw new BindException("bind " + pod + " to " + node + ": " + failure);
  }

  private void mergePatch(String namespace, String name, ObjectNode patch) throws ApiException {
    String body;
    try {
      body = JSON.writeValueAsString(patch);
    } catch (IOException e) {
      throw new IllegalStateException("patch not serialisable", e);
    }
    PatchUtils.patch(
        V1Pod.class,
        () -> api.patchNamespacedPod(name, namespace, new V1Patch(body)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
        client);
  }

  /** Posts the Binding; null on success, else the API server's answer as text. */
  private String createBinding(String namespace, String name, String uid, String node) {
    V1Binding binding =
        new V1Binding()
            .metadata(new V1ObjectMeta().name(name).namespace(namespace).uid(uid))
            .target(new V1ObjectReference().kind("Node").name(node));
    // The API server answers with a Status, which client-java's typed V1Binding reader rejects,
    // so the raw call is used and only the status code is read.
    try (Response r =
        api.createNamespacedPodBinding(name, namespace, binding).buildCall(null).execute()) {
      if (r.isSuccessful()) {
        return null;
      }
      String body = r.body() == null ? "" : r.body().string();
      return "creating the Binding failed: HTTP " + r.code() + " " + statusMessage(body);
    } catch (IOException | ApiException e) {
      return "creating the Binding failed: " + e.getMessage();
    }
  }

  private static String text(ApiException e) {
    String body = e.getResponseBody();
    return body == null || body.isEmpty()
        ? e.getMessage()
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
