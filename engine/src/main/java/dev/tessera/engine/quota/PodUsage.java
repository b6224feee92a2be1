package dev.tessera.engine.quota;

import dev.tessera.engine.model.ContainerDevice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's GPU usage collapsed per GPU (hami-compat §7.10): init containers run one at a time, so
 * per GPU the pod holds {@code max(peak over init entries, sum over app entries)} of memory and of
 * cores.
 */
public final class PodUsage {
  private PodUsage() {}

  /** Collapsed totals, summed over GPUs. */
  public record Totals(long memMiB, long cores) {}

  /**
   * Total memory and cores of a pod whose containers hold {@code containers} (init containers
   * first; entry {@code i < initCount} is an init container), plus, when {@code extra} is not null,
   * one more container entry at index {@code containers.size()}.
   */
  public static Totals collapse(
      List<List<ContainerDevice>> containers, int initCount, List<ContainerDevice> extra) {
    // per GPU: {initMemPeak, initCorePeak, appMemSum, appCoreSum}
    Map<String, long[]> perGpu = new LinkedHashMap<>();
    for (int i = 0; i < containers.size(); i++) {
      add(perGpu, containers.get(i), i < initCount);
    }
    if (extra != null) {
      add(perGpu, extra, containers.size() < initCount);
    }
    long mem = 0;
    long cores = 0;
    for (long[] v : perGpu.values()) {
      mem += Math.max(v[0], v[2]);
      cores += Math.max(v[1], v[3]);
    }
    return new Totals(mem, cores);
  }

  private static void add(Map<String, long[]> perGpu, List<ContainerDevice> entry, boolean init) {
    // one init container may list the same GPU twice (MIG); its peak is that container's sum
    Map<String, long[]> local = init ? new LinkedHashMap<>() : perGpu;
    for (ContainerDevice cd : entry) {
      long[] v = local.computeIfAbsent(cd.uuid(), k -> new long[4]);
      if (init) {
        v[0] += cd.usedMemMiB();
        v[1] += cd.usedCores();
      } else {
        v[2] += cd.usedMemMiB();
        v[3] += cd.usedCores();
      }
    }
    if (init) {
      for (var e : local.entrySet()) {
        long[] v = perGpu.computeIfAbsent(e.getKey(), k -> new long[4]);
        v[0] = Math.max(v[0], e.getValue()[0]);
        v[1] = Math.max(v[1], e.getValue()[1]);
      }
    }
  }
}
