package dev.tessera.engine.usage;

import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.MigAllocationsCodec;
import dev.tessera.engine.codec.MigReservation;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod assigned to a node, as usage accounting needs it (hami-compat §7.10).
 *
 * @param key {@code namespace/name}
 * @param devices devices per vendor in §4.1 container order (decoded {@code …-allocated})
 * @param initContainerCount how many leading entries are init containers
 * @param initContainersDone true once every init container terminated successfully
 * @param migReservations decoded {@code hami.io/vgpu-mig-allocations}
 * @param migAnnotationError why the MIG annotation was unreadable; its reservations then count as
 *     missing, which fails the pod's MIG GPUs closed
 */
public record CachedPod(
    String key,
    Map<String, List<List<ContainerDevice>>> devices,
    int initContainerCount,
    boolean initContainersDone,
    List<MigReservation> migReservations,
    Optional<AnnotationDecodeException> migAnnotationError) {
  public CachedPod {
    devices = Map.copyOf(devices);
    migReservations = List.copyOf(migReservations);
    migAnnotationError = migAnnotationError == null ? Optional.empty() : migAnnotationError;
  }

  /** A pod with devices only (no init containers, no MIG reservations). */
  public static CachedPod of(String key, Map<String, List<List<ContainerDevice>>> devices) {
    return new CachedPod(key, devices, 0, false, List.of(), Optional.empty());
  }

  /**
   * Reads a pod from its annotations: NVIDIA devices from {@code hami.io/vgpu-devices-allocated}
   * and reservations from {@code hami.io/vgpu-mig-allocations}.
   *
   * @throws AnnotationDecodeException when the allocated-devices annotation does not decode
   */
  public static CachedPod fromAnnotations(
      String key,
      Map<String, String> annotations,
      int initContainerCount,
      boolean initContainersDone) {
    var devices =
        PodDevicesCodec.decodePodDevices(
            Map.of(GpuRequest.NVIDIA, Annotations.DEVICES_ALLOCATED), annotations);
    List<MigReservation> mig = List.of();
    Optional<AnnotationDecodeException> migError = Optional.empty();
    String migValue = annotations.get(Annotations.MIG_ALLOCATIONS);
    if (migValue != null) {
      try {
        mig = MigAllocationsCodec.decode(migValue);
      } catch (AnnotationDecodeException e) {
        migError = Optional.of(e);
      }
    }
    return new CachedPod(key, devices, initContainerCount, initContainersDone, mig, migError);
  }

  /** The pod's booking per vendor: app-only once init containers are done, else collapsed. */
  public Map<String, List<CollapsedDevice>> usage() {
    return initContainersDone
        ? PodUsage.appContainersOnly(devices, initContainerCount)
        : PodUsage.collapse(devices, initContainerCount);
  }
}
