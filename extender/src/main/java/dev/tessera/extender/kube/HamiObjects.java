package dev.tessera.extender.kube;

import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.BindPhase;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.fit.DeviceFit;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Kubernetes objects into engine records through the engine's HAMi codecs; nothing here
 * decodes an annotation itself.
 */
public final class HamiObjects {
  private HamiObjects() {}

  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

  /** {@code namespace/name} of a pod. */
  public static String podKey(V1Pod pod) {
    V1ObjectMeta m = pod.getMetadata();
    return m.getNamespace() + "/" + m.getName();
  }

  /** True when the node carries {@code hami.io/node-nvidia-register}, i.e. is a HAMi GPU node. */
  public static boolean registered(V1Node node) {
    return annotations(node.getMetadata()).containsKey(Annotations.NODE_REGISTER);
  }

  /**
   * The engine's view of a registered node: devices and link scores from the register and score
   * annotations (HAMi's NVIDIA rules, §3.1–3.2), cordoned GPUs, labels and allocatable CPU and
   * memory.
   *
   * @throws AnnotationDecodeException when an annotation does not decode; the message names it
   */
  public static Node node(V1Node node) {
    Map<String, String> ann = annotations(node.getMetadata());
    var devices = NodeRegisterCodec.nodeDevices(ann);
    Map<String, Quantity> alloc =
        node.getStatus() == null || node.getStatus().getAllocatable() == null
            ? Map.of()
            : node.getStatus().getAllocatable();
    long cpuMilli =
        Optional.ofNullable(alloc.get("cpu"))
            .map(q -> q.getNumber().movePointRight(3).longValue())
            .orElse(0L);
    long memMiB =
        Optional.ofNullable(alloc.get("memory"))
            .map(q -> q.getNumber().divideToIntegralValue(MIB).longValue())
            .orElse(0L);
    Map<String, String> labels = node.getMetadata().getLabels();
    return new Node(
        node.getMetadata().getName(),
        labels == null ? Map.of() : labels,
        cpuMilli,
        memMiB,
        devices.devices(),
        devices.pairScores(),
        DeviceFit.parseCordon(ann.getOrDefault(Annotations.DEVICE_CORDON, "")));
  }

  /**
   * What a pod holds according to its annotations (hami-compat §7.10): pods with {@code
   * hami.io/vgpu-node} and {@code hami.io/vgpu-devices-allocated} that are still active. Pods in
   * phase Succeeded or Failed hold nothing; neither does a pod whose bind the extender or the
   * device plugin marked {@code failed}, since that booking has been released.
   *
   * @throws AnnotationDecodeException when the allocated-devices annotation does not decode
   */
  public static Optional<Placement> placement(V1Pod pod) {
    Map<String, String> ann = annotations(pod.getMetadata());
    String node = ann.get(Annotations.VGPU_NODE);
    String allocated = ann.get(Annotations.DEVICES_ALLOCATED);
    if (node == null || node.isEmpty() || allocated == null) {
      return Optional.empty();
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return Optional.empty();
    }
    if (BindPhase.FAILED.wire().equals(ann.get(Annotations.BIND_PHASE))) {
      return Optional.empty();
    }
    int init =
        pod.getSpec() == null || pod.getSpec().getInitContainers() == null
            ? 0
            : pod.getSpec().getInitContainers().size();
    String uid = pod.getMetadata().getUid();
    return Optional.of(
        new Placement(
            podKey(pod),
            uid == null ? "" : uid,
            node,
            init,
            PodDevicesCodec.decode(Annotations.DEVICES_ALLOCATED, allocated)));
  }

  static Map<String, String> annotations(V1ObjectMeta meta) {
    return meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
  }
}
