package dev.tessera.deviceplugin.allocate;

import dev.tessera.engine.model.MigPlacement;

/**
 * Creates MIG instances on this node's GPUs for {@code mig}-mode Allocate (hami-compat §7.9).
 * Implementations talk to NVML; tests use a fake.
 */
@FunctionalInterface
public interface MigInstances {
  /**
   * The GPU instance (with one compute instance) of {@code profile} at exactly {@code placement} on
   * {@code gpuUuid}: the existing one when it is already there, else a new one.
   *
   * @throws AllocateException with {@link AllocateException.Reason#MIG_INSTANCE_FAILED} when it can
   *     be neither found nor created
   */
  MigInstance realise(String gpuUuid, String profile, MigPlacement placement);

  /** No MIG management on this node: every call fails with a message saying so. */
  static MigInstances unavailable() {
    return (gpu, profile, placement) -> {
      throw new AllocateException(
          AllocateException.Reason.MIG_INSTANCE_FAILED,
          "cannot create MIG instance "
              + profile
              + " at slices ["
              + placement.start()
              + ", "
              + (placement.start() + placement.size())
              + ") on "
              + gpu
              + ": this plugin has no NVML MIG management yet; run the node in hami-core mode");
    };
  }
}
