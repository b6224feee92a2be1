package dev.tessera.deviceplugin.config;

import java.util.List;

/**
 * GPUs a node keeps out of both advertising and registration ({@code filterdevices} in {@code
 * config.json}, hami-compat §10.3).
 *
 * @param uuids GPU UUIDs to exclude
 * @param indexes NVML indexes to exclude
 */
public record FilterDevices(List<String> uuids, List<Integer> indexes) {
  public static final FilterDevices NONE = new FilterDevices(List.of(), List.of());

  public FilterDevices {
    uuids = uuids == null ? List.of() : List.copyOf(uuids);
    indexes = indexes == null ? List.of() : List.copyOf(indexes);
  }

  /**
   * True when the GPU is listed by UUID, or by index; {@code index} is the decimal index as NVML
   * reports it, and one that does not parse as an integer matches no index.
   */
  public boolean excludes(String uuid, String index) {
    if (uuid != null && !uuid.isEmpty() && uuids.contains(uuid)) {
      return true;
    }
    if (index == null || indexes.isEmpty()) {
      return false;
    }
    try {
      return indexes.contains(Integer.parseInt(index));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** As {@link #excludes(String, String)}, treating an absent filter as excluding nothing. */
  public static boolean excludes(FilterDevices filter, String uuid, String index) {
    return filter != null && filter.excludes(uuid, index);
  }
}
