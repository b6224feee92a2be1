package dev.tessera.deviceplugin.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.deviceplugin.allocate.ContainerSpec;
import dev.tessera.deviceplugin.allocate.PodSpec;
import dev.tessera.deviceplugin.daemon.ClusterAccess;
import dev.tessera.deviceplugin.server.NodePatcher;
import dev.tessera.deviceplugin.server.PodInfo;
import dev.tessera.deviceplugin.server.PodPatcher;
import dev.tessera.deviceplugin.server.PodSource;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeLock;
import dev.tessera.engine.codec.PodRef;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.PatchUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link PodSource}, {@link PodPatcher} and {@link NodePatcher} against the Kubernetes API server
 * through client-java (hami-compat §8.3, §8.4, §3.4). Reads go to the API server each time, as
 * Allocate needs fresh data. Annotation writes are JSON merge patches on {@code
 * metadata.annotations}; the node-lock release carries the node's {@code resourceVersion}, so a
 * lock taken over in between is never removed.
 */
public final class KubernetesClusterAccess implements PodSource, PodPatcher, NodePatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int NOT_FOUND = 404;
  private static final int CONFLICT = 409;
  private static final int RELEASE_ATTEMPTS = 3;

  private final ApiClient client;
  private final CoreV1Api api;

  public KubernetesClusterAccess(ApiClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.api = new CoreV1Api(client);
  }

  /**
   * The API server from the pod's service account, or {@code KUBECONFIG} / {@code ~/.kube/config}
   * outside a cluster (client-java's {@link Config#defaultClient()}).
   *
   * @throws UncheckedIOException when no configuration can be read
   */
  public static ClusterAccess fromEnvironment() {
    try {
      var access = new KubernetesClusterAccess(Config.defaultClient());
      return new ClusterAccess(access, access, access);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot configure the Kubernetes API client (in-cluster service account or"
              + " KUBECONFIG): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public List<PodInfo> podsOnNode(String nodeName) {
    try {
      var list = api.listPodForAllNamespaces().fieldSelector("spec.nodeName=" + nodeName).execute();
      return list.getItems().stream().map(KubernetesClusterAccess::toPodInfo).toList();
    } catch (ApiException e) {
      throw failure("listing the pods of node " + nodeName, e);
    }
  }

  @Override
  public Optional<PodInfo> pod(PodRef ref) {
    try {
      return Optional.of(toPodInfo(api.readNamespacedPod(ref.name(), ref.namespace()).execute()));
    } catch (ApiException e) {
      if (e.getCode() == NOT_FOUND) {
        return Optional.empty();
      }
      throw failure("reading pod " + ref.namespace() + "/" + ref.name(), e);
    }
  }

  @Override
  public Optional<String> nodeLock(String nodeName) {
    return Optional.ofNullable(annotations(readNode(nodeName)).get(Annotations.NODE_LOCK));
  }

  @Override
  public void patchAnnotations(PodRef pod, Map<String, String> annotations) {
    String body = annotationPatch(annotations, null);
    try {
      PatchUtils.patch(
          V1Pod.class,
          () ->
              api.patchNamespacedPod(pod.name(), pod.namespace(), new V1Patch(body))
                  .buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
    } catch (ApiException e) {
      throw failure(
          "patching annotations "
              + annotations.keySet()
              + " of pod "
              + pod.namespace()
              + "/"
              + pod.name(),
          e);
    }
  }

  @Override
  public void patchNodeAnnotations(String nodeName, Map<String, String> annotations) {
    patchNode(nodeName, annotationPatch(annotations, null));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Read, check with {@link NodeLock#releasable}, then remove with the read {@code
   * resourceVersion}; a conflicting write in between restarts the check (at most 3 times).
   */
  @Override
  public void releaseNodeLock(String nodeName, PodRef holder) {
    for (int attempt = 1; ; attempt++) {
      V1Node node = readNode(nodeName);
      String current = annotations(node).get(Annotations.NODE_LOCK);
      if (current == null || !NodeLock.releasable(current, current, holder)) {
        return;
      }
      var remove = new LinkedHashMap<String, String>();
      remove.put(Annotations.NODE_LOCK, null);
      try {
        patchNode(nodeName, annotationPatch(remove, node.getMetadata().getResourceVersion()));
        return;
      } catch (KubernetesAccessException e) {
        if (e.code() != CONFLICT || attempt >= RELEASE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private V1Node readNode(String nodeName) {
    try {
      return api.readNode(nodeName).execute();
    } catch (ApiException e) {
      throw failure("reading node " + nodeName, e);
    }
  }

  private void patchNode(String nodeName, String body) {
    try {
      PatchUtils.patch(
          V1Node.class,
          () -> api.patchNode(nodeName, new V1Patch(body)).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
    } catch (ApiException e) {
      throw failure("patching node " + nodeName, e);
    }
  }

  /** {@code {"metadata":{"annotations":{…},"resourceVersion":…}}}; a null value removes the key. */
  static String annotationPatch(Map<String, String> annotations, String resourceVersion) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = patch.putObject("metadata");
    ObjectNode a = meta.putObject("annotations");
    annotations.forEach(a::put);
    if (resourceVersion != null) {
      meta.put("resourceVersion", resourceVersion);
    }
    try {
      return JSON.writeValueAsString(patch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> annotations(V1Node node) {
    var meta = node.getMetadata();
    return meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
  }

  /** The pod reduced to what Allocate reads: literal env values only (valueFrom is left out). */
  static PodInfo toPodInfo(V1Pod pod) {
    var meta = Objects.requireNonNull(pod.getMetadata(), "pod metadata");
    var spec = pod.getSpec();
    var status = pod.getStatus();
    return new PodInfo(
        new PodSpec(
            Objects.toString(meta.getUid(), ""),
            meta.getName(),
            Objects.toString(meta.getNamespace(), "default"),
            meta.getAnnotations(),
            spec == null ? List.of() : containers(spec.getInitContainers()),
            spec == null ? List.of() : containers(spec.getContainers())),
        spec == null ? "" : spec.getNodeName(),
        status == null ? "" : status.getPhase());
  }

  private static List<ContainerSpec> containers(List<V1Container> containers) {
    if (containers == null) {
      return List.of();
    }
    return containers.stream()
        .map(
            c -> {
              var env = new LinkedHashMap<String, String>();
              if (c.getEnv() != null) {
                for (V1EnvVar e : c.getEnv()) {
                  if (e.getValue() != null) {
                    env.put(e.getName(), e.getValue());
                  }
                }
              }
              return new ContainerSpec(c.getName(), env);
            })
        .toList();
  }

  private static KubernetesAccessException failure(String what, ApiException e) {
    String body = e.getResponseBody();
    String detail = body == null || body.isEmpty() ? String.valueOf(e.getMessage()) : body;
    return new KubernetesAccessException(
        what + " failed: HTTP " + e.getCode() + " " + detail, e.getCode(), e);
  }
}
