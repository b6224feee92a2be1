package dev.tessera.deviceplugin.allocate;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.model.ContainerDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The not-yet-served part of {@code hami.io/vgpu-devices-to-allocate}: one entry per container,
 * init containers first (hami-compat §4.1). Immutable: {@link #pop} returns the shortened value.
 */
public final class PendingDevices {
  /** The vendor key HAMi writes as TYPE and looks for to decide whether all is served. */
  public static final String NVIDIA = "NVIDIA";

  private final List<List<ContainerDevice>> entries;

  private PendingDevices(List<List<ContainerDevice>> entries) {
    var copy = new ArrayList<List<ContainerDevice>>(entries.size());
    for (var e : entries) {
      copy.add(List.copyOf(e));
    }
    this.entries = List.copyOf(copy);
  }

  /** Wraps already-decoded entries (init containers first). */
  public static PendingDevices of(List<List<ContainerDevice>> entries) {
    return new PendingDevices(entries);
  }

  /**
   * Decodes an annotation value with {@link PodDevicesCodec#decode}.
   *
   * @throws dev.tessera.engine.codec.AnnotationDecodeException when a device item is malformed
   */
  public static PendingDevices decode(String annotationValue) {
    return of(PodDevicesCodec.decode(Annotations.DEVICES_TO_ALLOCATE, annotationValue));
  }

  /**
   * The pending devices of {@code deviceType} carried by the pod's annotations.
   *
   * @throws AllocateException ({@code MISSING_ANNOTATION}) when the pod has no such annotation, or
   *     the device type is not one this plugin serves
   */
  public static PendingDevices fromAnnotations(Map<String, String> annotations, String deviceType) {
    if (!NVIDIA.equals(deviceType)) {
      throw new AllocateException(
          AllocateException.Reason.MISSING_ANNOTATION,
          "device type \""
              + deviceType
              + "\" has no to-allocate annotation (only NVIDIA is served)");
    }
    String value = annotations.get(Annotations.DEVICES_TO_ALLOCATE);
    if (value == null) {
      throw new AllocateException(
          AllocateException.Reason.MISSING_ANNOTATION,
          "pod has no "
              + Annotations.DEVICES_TO_ALLOCATE
              + " annotation: it was not scheduled by HAMi"
              + " or its devices are already allocated");
    }
    return decode(value);
  }

  /** Every entry, served ones empty, in annotation order. */
  public List<List<ContainerDevice>> entries() {
    return entries;
  }

  /** Index of the first non-empty entry, if any. */
  public OptionalInt firstPendingIndex() {
    for (int i = 0; i < entries.size(); i++) {
      if (!entries.get(i).isEmpty()) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** Number of non-empty entries. */
  public int pendingCount() {
    return (int) entries.stream().filter(e -> !e.isEmpty()).count();
  }

  /**
   * The next container to serve without consuming it (HAMi {@code GetNextDeviceRequest}).
   *
   * @throws AllocateException {@code DEVICE_REQUEST_NOT_FOUND} ("device request not found") when no
   *     entry is pending; {@code ENTRY_WITHOUT_CONTAINER} when the entry maps to no container
   */
  public Popped next(PodSpec pod) {
    var idx = firstPendingIndex();
    if (idx.isEmpty()) {
      throw new AllocateException(
          AllocateException.Reason.DEVICE_REQUEST_NOT_FOUND, "device request not found");
    }
    return take(pod, idx.getAsInt());
  }

  /**
   * Takes the first non-empty entry and empties it (hami-compat §8.3 step 3.1).
   *
   * @throws AllocateException {@code NO_PENDING_ALLOCATION} when every entry is empty; {@code
   *     ENTRY_WITHOUT_CONTAINER} when the entry maps to no container
   */
  public Popped pop(PodSpec pod) {
    var idx = firstPendingIndex();
    if (idx.isEmpty()) {
      throw new AllocateException(
          AllocateException.Reason.NO_PENDING_ALLOCATION,
          "no pending device allocation found for pod "
              + pod.namespace()
              + "/"
              + pod.name()
              + ": every entry of "
              + Annotations.DEVICES_TO_ALLOCATE
              + " is already served");
    }
    return take(pod, idx.getAsInt());
  }

  private Popped take(PodSpec pod, int i) {
    var container = pod.containerForEntry(i);
    var rest = new ArrayList<>(entries);
    rest.set(i, List.of());
    return new Popped(container, entries.get(i), new PendingDevices(rest));
  }

  /**
   * The annotation value to write back; served entries are empty, so trailing {@code ;}s can grow,
   * as in HAMi.
   */
  public String encode() {
    return PodDevicesCodec.encode(entries);
  }

  /** True when the encoded value no longer names the vendor key: every container is served. */
  public boolean allServed() {
    return !encode().contains(NVIDIA);
  }

  /**
   * One popped entry.
   *
   * @param container the container it belongs to
   * @param devices its devices, in annotation order (never empty)
   * @param remaining the annotation with this entry emptied
   */
  public record Popped(
      PodSpec.ContainerRef container, List<ContainerDevice> devices, PendingDevices remaining) {
    public Popped {
      devices = List.copyOf(devices);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingDevices p && p.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "PendingDevices[" + encode() + "]";
  }
}
