package dev.tessera.deviceplugin.allocate;

import dev.tessera.engine.codec.Annotations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one Allocate call must do: answer each container request, then write back the shortened
 * to-allocate annotation with one merge patch (hami-compat §8.3 steps 3-5).
 *
 * @param containers one response per kubelet container request, in request order
 * @param remaining the to-allocate annotation with the served entries emptied
 * @param migAllocations in {@code mig} mode, the new {@code hami.io/vgpu-mig-allocations} value
 *     with the realised instances' {@code migUUID}, {@code gpuInstanceID} and {@code
 *     computeInstanceID}; empty in hami-core mode
 */
public record AllocationPlan(
    List<ContainerAllocation> containers,
    PendingDevices remaining,
    Optional<String> migAllocations) {
  public AllocationPlan {
    containers = List.copyOf(containers);
    Objects.requireNonNull(remaining, "remaining");
    Objects.requireNonNull(migAllocations, "migAllocations");
  }

  /** A hami-core plan: nothing but the to-allocate annotation to write back. */
  public AllocationPlan(List<ContainerAllocation> containers, PendingDevices remaining) {
    this(containers, remaining, Optional.empty());
  }

  /** The new value of {@code hami.io/vgpu-devices-to-allocate}. */
  public String remainingAnnotation() {
    return remaining.encode();
  }

  /**
   * The pod merge patches (annotations only) this Allocate call sends: exactly one, carrying the
   * shortened to-allocate value (and in {@code mig} mode the realised MIG reservations). The
   * bind-phase patch on completion is separate ({@link #allServed()}).
   */
  public List<Map<String, String>> podAnnotationPatches() {
    var patch = new LinkedHashMap<String, String>();
    patch.put(Annotations.DEVICES_TO_ALLOCATE, remainingAnnotation());
    migAllocations.ifPresent(v -> patch.put(Annotations.MIG_ALLOCATIONS, v));
    return List.of(Map.copyOf(patch));
  }

  /**
   * True when no vendor key is left in the annotation: the server patches {@code
   * hami.io/bind-phase=success} and releases the node lock.
   */
  public boolean allServed() {
    return remaining.allServed();
  }
}
