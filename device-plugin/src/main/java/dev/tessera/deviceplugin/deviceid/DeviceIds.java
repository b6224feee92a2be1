package dev.tessera.deviceplugin.deviceid;

import java.util.ArrayList;
import java.util.List;

/**
 * Mapping between physical GPU UUIDs and the virtual device IDs advertised to kubelet (hami-compat
 * §8.1, §8.5).
 */
public final class DeviceIds {
  private DeviceIds() {}

  /**
   * The IDs advertised for one GPU: {@code <uuid>-0} … {@code <uuid>-<splitCount-1>}; a static-MIG
   * ID (containing {@code MIG}) is advertised once, unchanged.
   *
   * @throws IllegalArgumentException when {@code splitCount} is below 1
   */
  public static List<String> advertised(String uuid, int splitCount) {
    if (uuid.contains("MIG")) {
      return List.of(uuid);
    }
    if (splitCount < 1) {
      throw new IllegalArgumentException(
          "deviceSplitCount must be at least 1 to advertise " + uuid + ", got " + splitCount);
    }
    var out = new ArrayList<String>(splitCount);
    for (int i = 0; i < splitCount; i++) {
      out.add(uuid + "-" + i);
    }
    return List.copyOf(out);
  }

  /**
   * The physical GPU UUID behind a kubelet device ID: the part before {@code ::} if present; else
   * the part before {@code [} (MIG form {@code GPU-UUID[t-i]}); else, when the ID has exactly 6
   * dashes and ends in {@code -<integer>}, the ID without that suffix; otherwise the ID itself.
   */
  public static String physicalUuid(String deviceId) {
    int sep = deviceId.indexOf("::");
    if (sep >= 0) {
      return deviceId.substring(0, sep);
    }
    int bracket = deviceId.indexOf('[');
    if (bracket >= 0) {
      return deviceId.substring(0, bracket);
    }
    // GPU UUIDs have 5 dashes; a sixth means a replica suffix was appended.
    if (deviceId.chars().filter(ch -> ch == '-').count() == 6) {
      int last = deviceId.lastIndexOf('-');
      if (isGoAtoi(deviceId.substring(last + 1))) {
        return deviceId.substring(0, last);
      }
    }
    return deviceId;
  }

  // Go strconv.Atoi: optional sign, then at least one decimal digit.
  private static boolean isGoAtoi(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
    if (start >= s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return s.length() - start <= 18; // beyond int64 range Atoi fails
  }
}
