package dev.tessera.engine.model;

import java.util.List;

/**
 * One physical GPU as registered by the device plugin (HAMi's {@code DeviceInfo}).
 *
 * @param uuid GPU UUID, e.g. {@code GPU-0fc3eda5-…}
 * @param index NVML index on the node
 * @param type registered model string, e.g. {@code NVIDIA A100-SXM4-40GB}
 * @param memoryMiB total device memory after {@code deviceMemoryScaling}, MiB
 * @param cores total compute after {@code deviceCoreScaling}, percent (100 = one GPU)
 * @param splitCount sharing slots ({@code deviceSplitCount})
 * @param numa NUMA node, 0 when unknown
 * @param healthy false once the plugin's health checker marked it unhealthy
 * @param mode operating mode: {@code ""}, {@code hami-core} or {@code mig}
 * @param migProfiles MIG profiles, empty unless {@code mode} is {@code mig}
 */
public record GpuDevice(
    String uuid,
    int index,
    String type,
    int memoryMiB,
    int cores,
    int splitCount,
    int numa,
    boolean healthy,
    String mode,
    List<MigProfile> migProfiles) {
  public static final String MODE_MIG = "mig";
  public static final String MODE_HAMI_CORE = "hami-core";

  public GpuDevice {
    type = type == null ? "" : type;
    mode = mode == null ? "" : mode;
    migProfiles = migProfiles == null ? List.of() : List.copyOf(migProfiles);
  }

  /** A healthy, non-MIG device: the common case in tests and fixtures. */
  public static GpuDevice of(
      String uuid, int index, String type, int memoryMiB, int cores, int splitCount, int numa) {
    return new GpuDevice(
        uuid, index, type, memoryMiB, cores, splitCount, numa, true, MODE_HAMI_CORE, List.of());
  }

  public boolean isMig() {
    return MODE_MIG.equals(mode);
  }
}
