package dev.tessera.deviceplugin.server;

import dev.tessera.engine.model.MigProfile;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One physical GPU as the device source reports it.
 *
 * @param uuid GPU UUID ({@code GPU-…}), the ID the scheduler's annotations name
 * @param index NVML index, also the {@code /dev/nvidia<index>} minor
 * @param type model name, e.g. {@code NVIDIA-Tesla T4}
 * @param memoryMiB total memory in MiB
 * @param numa NUMA node, empty when unknown
 * @param healthy whether the GPU is usable
 * @param migProfiles the MIG profiles the GPU offers, registered when the node runs in {@code mig}
 *     mode (hami-compat §3.1.1, §7.9); empty otherwise
 */
public record GpuInfo(
    String uuid,
    int index,
    String type,
    long memoryMiB,
    OptionalInt numa,
    boolean healthy,
    List<MigProfile> migProfiles) {
  public GpuInfo {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(numa, "numa");
    migProfiles = migProfiles == null ? List.of() : List.copyOf(migProfiles);
  }

  /** A GPU without MIG profiles. */
  public GpuInfo(
      String uuid, int index, String type, long memoryMiB, OptionalInt numa, boolean healthy) {
    this(uuid, index, type, memoryMiB, numa, healthy, List.of());
  }

  /** This GPU with {@code healthy} replaced. */
  public GpuInfo withHealthy(boolean value) {
    return new GpuInfo(uuid, index, type, memoryMiB, numa, value, migProfiles);
  }
}
