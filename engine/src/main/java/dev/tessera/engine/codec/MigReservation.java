package dev.tessera.engine.codec;

import dev.tessera.engine.model.MigAllocation;
import dev.tessera.engine.model.MigPlacement;
import java.util.OptionalInt;

/**
 * One entry of {@code hami.io/vgpu-mig-allocations} (hami-compat §7.9): the MIG instance reserved
 * for one container device, plus the runtime identity the device plugin adds once it exists.
 *
 * @param containerIndex container position in the §4.1 order (init containers first)
 * @param deviceIndex position within that container's device entry
 * @param gpuUuid the physical GPU
 * @param profile MIG profile name, e.g. {@code 1g.5gb}
 * @param placement slice range on the GPU
 * @param migUuid MIG device UUID; empty until realised
 * @param gpuInstanceId GPU instance id; empty until realised (0 is a valid id)
 * @param computeInstanceId compute instance id; empty until realised (0 is a valid id)
 */
public record MigReservation(
    int containerIndex,
    int deviceIndex,
    String gpuUuid,
    String profile,
    MigPlacement placement,
    String migUuid,
    OptionalInt gpuInstanceId,
    OptionalInt computeInstanceId) {
  public MigReservation {
    migUuid = migUuid == null ? "" : migUuid;
    gpuInstanceId = gpuInstanceId == null ? OptionalInt.empty() : gpuInstanceId;
    computeInstanceId = computeInstanceId == null ? OptionalInt.empty() : computeInstanceId;
  }

  /** A reservation as the scheduler writes it in {@code filter}, before the plugin realises it. */
  public static MigReservation reserved(
      int containerIndex, int deviceIndex, String gpuUuid, String profile, MigPlacement placement) {
    return new MigReservation(
        containerIndex,
        deviceIndex,
        gpuUuid,
        profile,
        placement,
        "",
        OptionalInt.empty(),
        OptionalInt.empty());
  }

  /** True once the device plugin recorded all three runtime identifiers. */
  public boolean runtimeReady() {
    return !migUuid.isEmpty() && gpuInstanceId.isPresent() && computeInstanceId.isPresent();
  }

  /** The in-use allocation this reservation occupies on its GPU. */
  public MigAllocation toAllocation() {
    return new MigAllocation(profile, placement, migUuid, gpuInstanceId, computeInstanceId);
  }
}
