package dev.tessera.engine.model;

import java.util.Optional;

/**
 * One GPU (or GPU share) assigned to one container: one {@code UUID,TYPE,MEM,CORES} item of the
 * {@code hami.io/vgpu-devices-*} annotations.
 *
 * @param index GPU index on the node; not on the wire (decoded values carry 0)
 * @param uuid GPU UUID
 * @param type vendor key, {@code NVIDIA}
 * @param usedMemMiB memory booked, MiB
 * @param usedCores compute booked, percent
 * @param mig the MIG profile and placement, for GPUs in {@code mig} mode
 */
public record ContainerDevice(
    int index, String uuid, String type, int usedMemMiB, int usedCores, Optional<MigSlot> mig) {
  public ContainerDevice {
    mig = mig == null ? Optional.empty() : mig;
  }

  public static ContainerDevice of(String uuid, String type, int usedMemMiB, int usedCores) {
    return new ContainerDevice(0, uuid, type, usedMemMiB, usedCores, Optional.empty());
  }
}
