package dev.tessera.deviceplugin.allocate;

import java.util.Objects;

/**
 * A MIG instance that exists on a GPU: what the plugin records in {@code
 * hami.io/vgpu-mig-allocations} once it has realised a reservation (hami-compat §7.9).
 *
 * @param migUuid MIG device UUID, {@code MIG-…}, the ID handed to the container runtime
 * @param gpuInstanceId NVML GPU instance id (0 is valid)
 * @param computeInstanceId NVML compute instance id (0 is valid)
 */
public record MigInstance(String migUuid, int gpuInstanceId, int computeInstanceId) {
  public MigInstance {
    Objects.requireNonNull(migUuid, "migUuid");
    if (migUuid.isEmpty() || gpuInstanceId < 0 || computeInstanceId < 0) {
      throw new IllegalArgumentException(
          "a MIG instance needs a UUID and non-negative instance ids, got "
              + migUuid
              + ", "
              + gpuInstanceId
              + ", "
              + computeInstanceId);
    }
  }
}
