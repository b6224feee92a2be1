package dev.tessera.engine.admission;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.model.GpuRequest;
import java.util.List;

/**
 * The webhook's ResourceQuota check (hami-compat §9.3): a pod is admitted only if its peak GPU
 * memory and core demand fits the namespace's {@code limits.<resource>} quota.
 */
public final class AdmissionQuota {
  private AdmissionQuota() {}

  /**
   * The peak demand of a pod: for memory and cores separately, the larger of the sum over app
   * containers and the largest init container (init containers run one at a time, before the apps),
   * each container counting value × GPU count.
   */
  public static PodGpuDemand demand(
      DeviceConfig config,
      List<AdmissionContainer> initContainers,
      List<AdmissionContainer> containers) {
    long appMem = 0;
    long appCores = 0;
    for (AdmissionContainer c : containers) {
      GpuRequest r = GpuRequests.derive(config, c);
      if (!r.isEmpty()) {
        appMem = saturatingAdd(appMem, (long) r.memoryMiB() * r.count());
        appCores = saturatingAdd(appCores, (long) r.cores() * r.count());
      }
    }
    long initMem = 0;
    long initCores = 0;
    for (AdmissionContainer c : initContainers) {
      GpuRequest r = GpuRequests.derive(config, c);
      if (!r.isEmpty()) {
        initMem = Math.max(initMem, (long) r.memoryMiB() * r.count());
        initCores = Math.max(initCores, (long) r.cores() * r.count());
      }
    }
    return new PodGpuDemand(Math.max(appMem, initMem), Math.max(appCores, initCores));
  }

  /** True when {@code demand} fits {@code namespace}'s memory and core quota in {@code quota}. */
  public static boolean fits(
      DeviceConfig config, QuotaView quota, String namespace, PodGpuDemand demand) {
    return quota.fits(
            namespace,
            config.resourceMemoryName(),
            demand.memoryMiB(),
            config.effectiveMemoryFactor())
        && quota.fits(namespace, config.resourceCoreName(), demand.cores(), 1);
  }

  /** {@link #demand} then {@link #fits}, for one pod. */
  public static boolean fits(
      DeviceConfig config,
      QuotaView quota,
      String namespace,
      List<AdmissionContainer> initContainers,
      List<AdmissionContainer> containers) {
    return fits(config, quota, namespace, demand(config, initContainers, containers));
  }

  private static long saturatingAdd(long a, long b) {
    long s = a + b;
    // Overflow only when both operands share a sign the sum lacks.
    if (((a ^ s) & (b ^ s)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return s;
  }
}
