package dev.tessera.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.model.GpuDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds Kubernetes Node and Pod JSON for tests, in the shape kube-scheduler sends. */
public final class Manifests {
  private Manifests() {}

  /** A node registering {@code gpus} GPUs of {@code memMiB} each, {@code split} slots. */
  public static ObjectNode node(String name, int gpus, int memMiB, int split) {
    var devices = new ArrayList<GpuDevice>();
    for (int i = 0; i < gpus; i++) {
      devices.add(
          GpuDevice.of("GPU-" + name + "-" + i, i, "NVIDIA A100-SXM4-40GB", memMiB, 100, split, 0));
    }
    return nodeWithRegister(name, NodeRegisterCodec.encode(devices), gpus * split);
  }

  /** A node whose register annotation is {@code register}, verbatim. */
  public static ObjectNode nodeWithRegister(String name, String register, int allocatable) {
    ObjectNode n = Fixtures.JSON.createObjectNode();
    n.put("kind", "Node");
    ObjectNode meta = n.putObject("metadata");
    meta.put("name", name);
    meta.putObject("labels").put("kubernetes.io/hostname", name);
    meta.putObject("annotations").put("hami.io/node-nvidia-register", register);
    n.putObject("status")
        .putObject("allocatable")
        .put("nvidia.com/gpu", Integer.toString(allocatable));
    return n;
  }

  /** A pending pod with one container asking for 1 GPU with {@code memMiB} and {@code cores}. */
  public static ObjectNode pod(String namespace, String name, int memMiB, int cores) {
    ObjectNode p = Fixtures.JSON.createObjectNode();
    p.put("kind", "Pod");
    ObjectNode meta = p.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    meta.put("uid", "uid-" + namespace + "-" + name);
    ObjectNode c = p.putObject("spec").putArray("containers").addObject();
    c.put("name", "main");
    ObjectNode limits = c.putObject("resources").putObject("limits");
    limits.put("nvidia.com/gpu", "1");
    limits.put("nvidia.com/gpumem", Integer.toString(memMiB));
    limits.put("nvidia.com/gpucores", Integer.toString(cores));
    p.putObject("status").put("phase", "Pending");
    return p;
  }

  /** A running pod holding {@code allocated} (HAMi grammar) on {@code node}. */
  public static ObjectNode runningPod(String name, String node, String allocated) {
    ObjectNode p = pod("default", name, 1000, 10);
    ((ObjectNode) p.path("spec")).put("nodeName", node);
    ((ObjectNode) p.path("metadata"))
        .putObject("annotations")
        .put("hami.io/vgpu-node", node)
        .put("hami.io/vgpu-devices-allocated", allocated);
    ((ObjectNode) p.path("status")).put("phase", "Running");
    return p;
  }

  public static List<JsonNode> list(JsonNode... items) {
    return List.of(items);
  }

  public static Map<String, Object> names(List<String> names) {
    return Map.of("NodeNames", names);
  }
}
