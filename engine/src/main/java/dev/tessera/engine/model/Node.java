package dev.tessera.engine.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node as the engine sees it.
 *
 * @param name node name
 * @param labels node labels
 * @param cpuMilli allocatable CPU, millicores
 * @param memoryMiB allocatable host memory, MiB
 * @param devices registered GPUs in register-annotation order (the order HAMi's fit starts from)
 * @param pairScores GPU link scores for topology-aware placement
 * @param cordoned GPU UUIDs excluded from new allocations ({@code hami.io/device-cordon})
 */
public record Node(
    String name,
    Map<String, String> labels,
    long cpuMilli,
    long memoryMiB,
    List<GpuDevice> devices,
    PairScores pairScores,
    Set<String> cordoned) {
  public Node {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    devices = List.copyOf(devices);
    pairScores = pairScores == null ? PairScores.NONE : pairScores;
    cordoned = cordoned == null ? Set.of() : Set.copyOf(cordoned);
  }

  public static Node of(String name, List<GpuDevice> devices) {
    return new Node(name, Map.of(), 0, 0, devices, PairScores.NONE, Set.of());
  }
}
