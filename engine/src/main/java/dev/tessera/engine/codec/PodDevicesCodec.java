package dev.tessera.engine.codec;

import dev.tessera.engine.model.ContainerDevice;
import java.util.ArrayList;
import java.util.List;

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

  private static int integer(String annotation, String seg, String field, String name) {
    try {
      return Integer.parseInt(field.trim());
    } catch (NumberFormatException e) {
      throw new AnnotationDecodeException(
          annotation, seg, name + " as a 32-bit integer, got \"" + field + "\"", e);
    }
  }
}
