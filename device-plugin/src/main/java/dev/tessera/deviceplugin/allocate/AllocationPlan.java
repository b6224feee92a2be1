package dev.tessera.deviceplugin.allocate;

import dev.tessera.engine.codec.Annotations;
import java.util.List;
import java.util.Map;

/**
 * What one Allocate call must do: answer each container request, then write back the shortened
 * to-allocate annotation with one merge patch (hami-compat §8.3 steps 3-5).
 *
 * @param containers one response per kubelet container request, in request order
 * @param remaining the to-allocate annotation with the served entries emptied
 */
public record AllocationPlan(List<ContainerAllocation> containers, PendingDevices remaining) {
  public AllocationPlan {
    containers = List.copyOf(containers);
  }

  /** The new value of {@code hami.io/vgpu-devices-to-allocate}. */
  public String remainingAnnotation() {
    return remaining.encode();
  }

  /**
   * The pod merge patches (annotations only) this Allocate call sends: exactly one, carrying the
   * shortened to-allocate value. The bind-phase patch on completion is separate ({@link
   * #allServed()}).
   */
  public List<Map<String, String>> podAnnotationPatches() {
    return List.of(Map.of(Annotations.DEVICES_TO_ALLOCATE, remainingAnnotation()));
  }

  /**
   * True when no vendor key is left in the annotation: the server patches {@code
   * hami.io/bind-phase=success} and releases the node lock.
   */
  public boolean allServed() {
    return remaining.allServed();
  }
}
