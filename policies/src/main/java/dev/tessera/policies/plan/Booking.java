package dev.tessera.policies.plan;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.engine.usage.NodeUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Books a pod's devices onto a node's usage with the engine's accounting, exactly as {@code
 * ClusterSnapshot.assume} does, so that a plan's later pods see what the earlier ones took.
 */
final class Booking {
  private Booking() {}

  /** The engine's cached form of a pod holding {@code containers} (init containers first). */
  static CachedPod cached(String key, int initCount, List<List<ContainerDevice>> containers) {
    return new CachedPod(
        key, Map.of(GpuRequest.NVIDIA, containers), initCount, false, List.of(), Optional.empty());
  }

  /**
   * The usage after {@code pod} joins {@code pods} on {@code node}: incremental when the engine can
   * adjust it, recomputed over all pods otherwise (MIG GPUs).
   */
  static List<DeviceUsage> add(
      Node node, List<DeviceUsage> usage, List<CachedPod> pods, CachedPod pod) {
    return NodeUsage.adjusted(usage, pod, true)
        .orElseGet(
            () -> {
              var all = new ArrayList<CachedPod>(pods.size() + 1);
              all.addAll(pods);
              all.add(pod);
              return NodeUsage.compute(node.devices(), all);
            });
  }
}
