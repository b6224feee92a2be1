package dev.tessera.cli.io;

import dev.tessera.engine.model.GpuDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * A cluster described in a file (docs/user-guide.md, "Cluster files"): nodes with their GPUs, and
 * the GPU pods already running, each with HAMi's {@code hami.io/vgpu-devices-allocated} value.
 */
public record ClusterFile(List<NodeEntry> nodes, List<PodEntry> pods) {

  /** One node. GPUs are listed directly, or come from a HAMi register annotation. */
  public record NodeEntry(
      String name,
      Map<String, String> labels,
      Long cpuMilli,
      Long memoryMiB,
      List<GpuEntry> gpus,
      Map<String, String> annotations) {}

  /** One GPU; omitted fields take the chart defaults (100 cores, 10 slots, NUMA 0, healthy). */
  public record GpuEntry(
      String uuid,
      Integer index,
      String type,
      Integer memoryMiB,
      Integer cores,
      Integer splitCount,
      Integer numa,
      Boolean healthy,
      String mode) {}

  /** A running pod and what it holds, in HAMi's allocation grammar. */
  public record PodEntry(
      String namespace,
      String name,
      String uid,
      String node,
      Integer initContainers,
      String allocated) {}

  /** Reads and validates {@code file}; every problem names the file and the field. */
  public static ClusterFile load(Path file) {
    ClusterFile c = Yaml.read(file, ClusterFile.class);
    if (c == null || c.nodes() == null || c.nodes().isEmpty()) {
      throw new InputFileException(file, "", "field nodes: expected a non-empty list of nodes");
    }
    var names = new HashSet<String>();
    for (int i = 0; i < c.nodes().size(); i++) {
      var n = c.nodes().get(i);
      String at = "nodes[" + i + "]";
      if (n == null || n.name() == null || n.name().isBlank()) {
        throw new InputFileException(file, "", "field " + at + ".name: required");
      }
      if (!names.add(n.name())) {
        throw new InputFileException(file, "", "field " + at + ".name: duplicate node " + n.name());
      }
      if (n.gpus() != null) {
        for (int g = 0; g < n.gpus().size(); g++) {
          var gpu = n.gpus().get(g);
          String gat = at + ".gpus[" + g + "]";
          if (gpu == null || gpu.uuid() == null || gpu.uuid().isBlank()) {
            throw new InputFileException(file, "", "field " + gat + ".uuid: required");
          }
          if (gpu.memoryMiB() == null || gpu.memoryMiB() <= 0) {
            throw new InputFileException(
                file, "", "field " + gat + ".memoryMiB: expected a positive number of MiB");
          }
        }
      }
    }
    if (c.pods() != null) {
      for (int i = 0; i < c.pods().size(); i++) {
        var p = c.pods().get(i);
        String at = "pods[" + i + "]";
        if (p == null || p.name() == null || p.node() == null || p.allocated() == null) {
          throw new InputFileException(
              file, "", "field " + at + ": expected name, node and allocated");
        }
        if (!names.contains(p.node())) {
          throw new InputFileException(file, "", "field " + at + ".node: unknown node " + p.node());
        }
      }
    }
    return new ClusterFile(c.nodes(), c.pods() == null ? List.of() : c.pods());
  }

  /** The GPUs of a node entry as model records (defaults applied). */
  public static List<GpuDevice> devices(NodeEntry n) {
    var out = new ArrayList<GpuDevice>();
    if (n.gpus() == null) {
      return out;
    }
    for (int i = 0; i < n.gpus().size(); i++) {
      var g = n.gpus().get(i);
      out.add(
          new GpuDevice(
              g.uuid(),
              g.index() == null ? i : g.index(),
              g.type() == null ? "NVIDIA" : g.type(),
              g.memoryMiB(),
              g.cores() == null ? 100 : g.cores(),
              g.splitCount() == null ? 10 : g.splitCount(),
              g.numa() == null ? 0 : g.numa(),
              g.healthy() == null || g.healthy(),
              g.mode() == null ? GpuDevice.MODE_HAMI_CORE : g.mode(),
              List.of()));
    }
    return out;
  }
}
