package dev.tessera.engine.codec;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The device-assignment grammar of {@code hami.io/vgpu-devices-to-allocate} and {@code
 * hami.io/vgpu-devices-allocated} (hami-compat §4.1):
 *
 * <pre>
 * value     := { container ";" }
 * container := { device ":" }
 * device    := UUID "," TYPE "," MEM "," CORES
 * </pre>
 *
 * One entry per container, init containers first; an empty entry for a container without GPUs.
 */
public final class PodDevicesCodec {
  private PodDevicesCodec() {}

  /** Encodes one container's devices: each device followed by {@code :}. */
  public static String encodeContainer(List<ContainerDevice> devices) {
    var sb = new StringBuilder();
    for (var d : devices) {
      sb.append(d.uuid())
          .append(',')
          .append(d.type())
          .append(',')
          .append(d.usedMemMiB())
          .append(',')
          .append(d.usedCores())
          .append(':');
    }
    return sb.toString();
  }

  /** Encodes every container's entry, each terminated by {@code ;}. */
  public static String encode(List<List<ContainerDevice>> containers) {
    var sb = new StringBuilder();
    for (var c : containers) {
      sb.append(encodeContainer(c)).append(';');
    }
    return sb.toString();
  }

  /**
   * Decodes one container entry. Only {@code :}-separated segments that contain a comma are
   * devices; a device segment with fewer than four fields, or a non-integer MEM/CORES, is an error.
   */
  public static List<ContainerDevice> decodeContainer(String annotation, String entry) {
    var out = new ArrayList<ContainerDevice>();
    if (entry.isEmpty()) {
      return out;
    }
    for (String seg : entry.split(":", -1)) {
      if (!seg.contains(",")) {
        continue;
      }
      String[] f = seg.split(",", -1);
      if (f.length < 4) {
        throw new AnnotationDecodeException(
            annotation, seg, "UUID,TYPE,MEM,CORES (4 comma-separated fields), got " + f.length);
      }
      out.add(
          ContainerDevice.of(
              f[0],
              f[1],
              integer(annotation, seg, f[2], "MEM"),
              integer(annotation, seg, f[3], "CORES")));
    }
    return out;
  }

  /**
   * Decodes a whole value: split on {@code ;}, every piece (including the empty one after the last
   * {@code ;}) becomes a container entry, so indices stay aligned with the pod's containers.
   */
  public static List<List<ContainerDevice>> decode(String annotation, String value) {
    var out = new ArrayList<List<ContainerDevice>>();
    for (String entry : value.split(";", -1)) {
      out.add(decodeContainer(annotation, entry));
    }
    return out;
  }

  /**
   * Decodes the pod devices of every vendor in {@code checklist} (vendor key to annotation key)
   * whose annotation is present, as HAMi's {@code DecodePodDevices}; vendors without their
   * annotation are absent from the result.
   *
   * @throws AnnotationDecodeException when a present annotation does not decode
   */
  public static Map<String, List<List<ContainerDevice>>> decodePodDevices(
      Map<String, String> checklist, Map<String, String> annotations) {
    var out = new LinkedHashMap<String, List<List<ContainerDevice>>>();
    for (var e : checklist.entrySet()) {
      String value = annotations.get(e.getValue());
      if (value != null) {
        out.put(e.getKey(), decode(e.getValue(), value));
      }
    }
    return out;
  }

  /**
   * Encodes the devices of one container whose type equals {@code type}, joined with {@code :} and
   * without a trailing separator (HAMi's {@code EncodeContainerDeviceType}).
   */
  public static String encodeContainerDeviceType(List<ContainerDevice> devices, String type) {
    return devices.stream()
        .filter(d -> d.type().equals(type))
        .map(d -> d.uuid() + "," + d.type() + "," + d.usedMemMiB() + "," + d.usedCores())
        .collect(Collectors.joining(":"));
  }

  /**
   * The pod annotations the scheduler writes in {@code filter} for the NVIDIA devices of a pod:
   * {@code …-to-allocate} and {@code …-allocated} with identical values, plus {@code
   * hami.io/vgpu-mig-allocations} when some device carries a MIG slot. Empty when the pod has no
   * NVIDIA entry.
   */
  public static Map<String, String> patchAnnotations(
      Map<String, List<List<ContainerDevice>>> podDevices) {
    var out = new LinkedHashMap<String, String>();
    List<List<ContainerDevice>> nvidia = podDevices.get(GpuRequest.NVIDIA);
    if (nvidia == null || nvidia.isEmpty()) {
      return out;
    }
    String value = encode(nvidia);
    out.put(Annotations.DEVICES_TO_ALLOCATE, value);
    out.put(Annotations.DEVICES_ALLOCATED, value);
    if (nvidia.stream().flatMap(List::stream).anyMatch(d -> d.mig().isPresent())) {
      out.put(Annotations.MIG_ALLOCATIONS, MigAllocationsCodec.encode(nvidia));
    }
    return out;
  }

  private static int integer(String annotation, String seg, String field, String name) {
    try {
      return Integer.parseInt(field.trim());
    } catch (NumberFormatException e) {
      throw new AnnotationDecodeException(
          annotation, seg, name + " as a 32-bit integer, got \"" + field + "\"", e);
    }
  }
}
