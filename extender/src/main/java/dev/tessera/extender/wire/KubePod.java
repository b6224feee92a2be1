package dev.tessera.extender.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.admission.AdmissionContainer;
import dev.tessera.engine.admission.AdmissionPod;
import dev.tessera.engine.admission.GpuRequests;
import dev.tessera.engine.admission.PodDecodeException;
import dev.tessera.engine.admission.QuantityException;
import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.usage.CachedPod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes Pod as the extender needs it: identity, where it runs, its HAMi annotations and the
 * container resources the engine derives GPU requests from (with the webhook's own decoder, {@link
 * AdmissionPod#fromJson}, and HAMi's derivation, {@link GpuRequests#derive}).
 *
 * @param namespace {@code metadata.namespace} ({@code default} when absent)
 * @param name {@code metadata.name}
 * @param uid {@code metadata.uid}, empty when absent
 * @param nodeName {@code spec.nodeName}: non-empty once the pod is bound
 * @param phase {@code status.phase}, empty when absent
 * @param labels {@code metadata.labels}
 * @param annotations {@code metadata.annotations}
 * @param spec containers and their resources
 * @param initContainersDone true when every init container terminated with exit code 0
 */
public record KubePod(
    String namespace,
    String name,
    String uid,
    String nodeName,
    String phase,
    Map<String, String> labels,
    Map<String, String> annotations,
    AdmissionPod spec,
    boolean initContainersDone) {

  public KubePod {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    nodeName = nodeName == null ? "" : nodeName;
    phase = phase == null ? "" : phase;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    Objects.requireNonNull(spec, "spec");
  }

  /**
   * Reads a v1 Pod object ({@code metadata}, {@code spec}, {@code status}).
   *
   * @throws WireException naming the field when the object is not a usable Pod
   */
  public static KubePod fromJson(JsonNode pod) {
    if (pod == null || !pod.isObject()) {
      throw new WireException("Pod: expected a v1 Pod object, got " + kind(pod));
    }
    AdmissionPod spec;
    try {
      spec = AdmissionPod.fromJson(pod);
    } catch (PodDecodeException e) {
      throw new WireException("Pod: " + e.getMessage(), e);
    }
    if (spec.name().isEmpty()) {
      throw new WireException("Pod: field metadata.name is required");
    }
    JsonNode meta = pod.path("metadata");
    JsonNode status = pod.path("status");
    return new KubePod(
        spec.namespace().isEmpty() ? "default" : spec.namespace(),
        spec.name(),
        meta.path("uid").asText(""),
        spec.nodeName(),
        status.path("phase").asText(""),
        strings(meta.path("labels"), "metadata.labels"),
        strings(meta.path("annotations"), "metadata.annotations"),
        spec,
        initContainersDone(spec, status));
  }

  /** {@code namespace/name}, the key of snapshots and logs. */
  public String key() {
    return namespace + "/" + name;
  }

  /** True for pods that ended (Succeeded or Failed) and hold no devices any more (§7.10). */
  public boolean terminated() {
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /**
   * The scheduler's view of the pod: one NVIDIA request per container, init containers first, as
   * HAMi's scheduler derives it from the (already admitted) container resources.
   *
   * @throws WireException when a GPU resource value is not a quantity
   */
  public PodRequest request(DeviceConfig config) {
    int n = spec.initContainers().size() + spec.containers().size();
    var names = new ArrayList<String>(n);
    var requests = new ArrayList<GpuRequest>(n);
    try {
      for (AdmissionContainer c : spec.initContainers()) {
        names.add(c.name());
        requests.add(GpuRequests.derive(config, c));
      }
      for (AdmissionContainer c : spec.containers()) {
        names.add(c.name());
        requests.add(GpuRequests.derive(config, c));
      }
    } catch (QuantityException e) {
      throw new WireException("Pod " + key() + ": " + e.getMessage(), e);
    }
    return new PodRequest(
        namespace, name, uid, annotations, names, spec.initContainers().size(), requests);
  }

  /**
   * Where the scheduler placed this pod, read from {@code hami.io/vgpu-node} and {@code
   * hami.io/vgpu-devices-allocated}; empty when it carries no allocation.
   *
   * @throws AnnotationDecodeException when the allocation annotation does not decode
   */
  public Optional<Placement> placement() {
    String node = annotations.get(Annotations.VGPU_NODE);
    String allocated = annotations.get(Annotations.DEVICES_ALLOCATED);
    if (node == null || node.isEmpty() || allocated == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Placement(
            key(),
            uid,
            node,
            spec.initContainers().size(),
            PodDevicesCodec.decode(Annotations.DEVICES_ALLOCATED, allocated)));
  }

  /**
   * The pod as usage accounting books it (HAMi's cache entry), including MIG reservations and the
   * init-containers-done shrink; empty when it carries no allocation.
   *
   * @throws AnnotationDecodeException when the allocation annotation does not decode
   */
  public Optional<CachedPod> cached() {
    if (!annotations.containsKey(Annotations.VGPU_NODE)
        || !annotations.containsKey(Annotations.DEVICES_ALLOCATED)) {
      return Optional.empty();
    }
    return Optional.of(
        CachedPod.fromAnnotations(
            key(), annotations, spec.initContainers().size(), initContainersDone));
  }

  /** A copy with {@code extra} annotations and labels merged in (a JSON merge patch). */
  public KubePod withMetadata(
      Map<String, String> extraAnnotations, Map<String, String> extraLabels) {
    var a = new LinkedHashMap<>(annotations);
    a.putAll(extraAnnotations);
    var l = new LinkedHashMap<>(labels);
    l.putAll(extraLabels);
    return new KubePod(namespace, name, uid, nodeName, phase, l, a, spec, initContainersDone);
  }

  /** A copy bound to {@code node} (what creating the Binding does). */
  public KubePod boundTo(String node) {
    return new KubePod(
        namespace, name, uid, node, phase, labels, annotations, spec, initContainersDone);
  }

  private static boolean initContainersDone(AdmissionPod spec, JsonNode status) {
    if (spec.initContainers().isEmpty()) {
      return false;
    }
    JsonNode statuses = status.path("initContainerStatuses");
    if (!statuses.isArray() || statuses.size() < spec.initContainers().size()) {
      return false;
    }
    for (JsonNode s : statuses) {
      JsonNode term = s.path("state").path("terminated");
      if (term.isMissingNode() || term.path("exitCode").asInt(-1) != 0) {
        return false;
      }
    }
    return true;
  }

  static Map<String, String> strings(JsonNode map, String field) {
    if (map == null || map.isMissingNode() || map.isNull()) {
      return Map.of();
    }
    if (!map.isObject()) {
      throw new WireException(field + ": expected a map of strings, got " + kind(map));
    }
    var out = new LinkedHashMap<String, String>();
    for (var e : map.properties()) {
      JsonNode v = e.getValue();
      if (!v.isTextual()) {
        throw new WireException(field + "[" + e.getKey() + "]: expected a string, got " + kind(v));
      }
      out.put(e.getKey(), v.asText());
    }
    return out;
  }

  static String kind(JsonNode n) {
    return n == null || n.isMissingNode() ? "nothing" : n.getNodeType().toString().toLowerCase();
  }

  /** All containers, init first: the order of requests and of HAMi's annotations. */
  public List<AdmissionContainer> containersInOrder() {
    var out = new ArrayList<AdmissionContainer>(spec.initContainers());
    out.addAll(spec.containers());
    return out;
  }
}
