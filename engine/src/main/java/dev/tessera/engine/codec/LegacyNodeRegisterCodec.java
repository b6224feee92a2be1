package dev.tessera.engine.codec;

import dev.tessera.engine.model.GpuDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * The legacy colon/comma form of the register annotation (hami-compat §3.1.2), still used by other
 * vendors: {@code UUID,count,devmem,devcore,type,numa,health[,index,mode]:} per device. Errors
 * carry HAMi's exact Go texts in {@link AnnotationDecodeException#hamiText()}.
 */
public final class LegacyNodeRegisterCodec {
  private LegacyNodeRegisterCodec() {}

  private static final String A = Annotations.NODE_REGISTER;

  /**
   * Encodes every device in the 9-field form, each followed by {@code :}.
   *
   * @throws IllegalArgumentException when a text field contains {@code ,} or {@code :}, which the
   *     format cannot carry
   */
  public static String encode(List<GpuDevice> devices) {
    var sb = new StringBuilder();
    for (GpuDevice d : devices) {
      sb.append(text(d.uuid(), "uuid"))
          .append(',')
          .append(d.splitCount())
          .append(',')
          .append(d.memoryMiB())
          .append(',')
          .append(d.cores())
          .append(',')
          .append(text(d.type(), "type"))
          .append(',')
          .append(d.numa())
          .append(',')
          .append(d.healthy())
          .append(',')
          .append(d.index())
          .append(',')
          .append(text(d.mode(), "mode"))
          .append(':');
    }
    return sb.toString();
  }

  private static String text(String v, String field) {
    if (v.indexOf(',') >= 0 || v.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "legacy register " + field + " must not contain ',' or ':': " + v);
    }
    return v;
  }

  /**
   * Decodes the legacy form. Empty segments are skipped; a 7-field device has index 0 and mode
   * {@code hami-core}.
   *
   * @throws AnnotationDecodeException with HAMi's error text for each malformed input
   */
  public static List<GpuDevice> decode(String value) {
    if (value.indexOf(':') < 0) {
      throw error(
          value, "devices separated by ':'", "node annotation missing device separator", null);
    }
    var out = new ArrayList<GpuDevice>();
    for (String seg : value.split(":", -1)) {
      if (seg.isEmpty()) {
        continue;
      }
      if (seg.indexOf(',') < 0) {
        throw error(
            seg,
            "comma-separated device fields",
            "malformed node annotation segment: " + GoText.quote(seg),
            null);
      }
      String[] f = seg.split(",", -1);
      if (f.length != 7 && f.length != 9) {
        throw error(
            seg,
            "7 or 9 comma-separated fields",
            "unexpected field count " + f.length + " in node annotation",
            null);
      }
      int count = (int) parse(seg, "count", f[1], true);
      int mem = (int) parse(seg, "memory", f[2], true);
      int core = (int) parse(seg, "core", f[3], true);
      int numa = intField(seg, "numa", parse(seg, "numa", f[5], false));
      boolean health;
      try {
        health = GoText.parseBool(f[6]);
      } catch (GoText.GoSyntaxError e) {
        throw error(seg, "health as true or false", "invalid health field: " + e.getMessage(), e);
      }
      int index = 0;
      String mode = GpuDevice.MODE_HAMI_CORE;
      if (f.length == 9) {
        long idx = parse(seg, "index", f[7], false);
        if (idx < 0) {
          throw error(
              seg, "a non-negative index", "index field must not be negative: " + idx, null);
        }
        index = intField(seg, "index", idx);
        mode = f[8];
      }
      out.add(new GpuDevice(f[0], index, f[4], mem, core, count, numa, health, mode, List.of()));
    }
    return out;
  }

  /** Go ParseInt(…, 10, 32) for the int32 fields, Go Atoi for numa and index. */
  private static long parse(String seg, String name, String field, boolean int32) {
    try {
      return int32 ? GoText.parseInt(field, 32) : GoText.atoi(field);
    } catch (GoText.GoSyntaxError e) {
      throw error(
          seg, name + " as a decimal integer", "invalid " + name + " field: " + e.getMessage(), e);
    }
  }

  // Go's int is 64-bit; the model keeps numa and index as int, so larger values cannot be held.
  private static int intField(String seg, String name, long v) {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(
          seg,
          name + " within 32 bits",
          "invalid " + name + " field: value " + v + " out of supported range",
          null);
    }
    return (int) v;
  }

  private static AnnotationDecodeException error(
      String fragment, String expected, String hamiText, Throwable cause) {
    return AnnotationDecodeException.withHamiText(A, fragment, expected, hamiText, cause);
  }
}
