package dev.tessera.sim.trace;

import java.util.Map;

/**
 * One node of a Tessera-native trace (docs/trace-format.md): host resources and identical GPUs.
 *
 * @param name node name, unique in the trace
 * @param cpuMilli allocatable CPU, millicores
 * @param memoryMiB allocatable host memory, MiB
 * @param gpuModel GPU model, e.g. {@code V100M16} or {@code NVIDIA A100-SXM4-40GB}; {@code ""} when
 *     the node has no GPU
 * @param gpuCount GPUs on the node
 * @param gpuMemoryMiB device memory of each GPU, MiB
 * @param labels node labels
 */
public record TraceNode(
    String name,
    long cpuMilli,
    long memoryMiB,
    String gpuModel,
    int gpuCount,
    int gpuMemoryMiB,
    Map<String, String> labels) {
  public TraceNode {
    gpuModel = gpuModel == null ? "" : gpuModel;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
