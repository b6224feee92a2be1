package dev.tessera.deviceplugin.allocate;

import java.util.Objects;

/**
 * Allocate cannot serve a container. The message is meant for the user (kubelet shows it on the
 * pod); {@link #reason()} lets the server decide what to patch. HAMi marks the pod's bind phase
 * {@code failed} on any of these (hami-compat §8.3 step 6).
 */
public final class AllocateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why Allocate failed. */
  public enum Reason {
    /** The pod has no {@code hami.io/vgpu-devices-to-allocate} annotation. */
    MISSING_ANNOTATION,
    /** Every annotation entry is already served, yet kubelet asked for more. */
    NO_PENDING_ALLOCATION,
    /** The annotation has no non-empty entry for the requested device type. */
    DEVICE_REQUEST_NOT_FOUND,
    /** An annotation entry's index is beyond the pod's containers. */
    ENTRY_WITHOUT_CONTAINER,
    /** Kubelet passed a different number of device IDs than the entry holds. */
    DEVICE_NUMBER_MISMATCH,
    /** A kubelet device ID or annotated UUID cannot be matched. */
    UNKNOWN_DEVICE,
    /** The node's operating mode or the device IDs are not served by this planner. */
    UNSUPPORTED_MODE,
    /** In {@code mig} mode: no {@code hami.io/vgpu-mig-allocations} entry for a device. */
    MIG_RESERVATION_MISSING,
    /** In {@code mig} mode: the MIG instance could not be created or found. */
    MIG_INSTANCE_FAILED
  }

  private final Reason reason;

  public AllocateException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}
