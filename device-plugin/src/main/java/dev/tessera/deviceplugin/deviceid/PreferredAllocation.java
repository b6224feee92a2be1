package dev.tessera.deviceplugin.deviceid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * GetPreferredAllocation's choice for one container (hami-compat §8.5): the scheduler's annotated
 * physical GPUs mapped onto kubelet's available device IDs.
 */
public final class PreferredAllocation {
  private PreferredAllocation() {}

  /**
   * Chooses device IDs: every must-include ID, then for each annotated UUID not already covered by
   * a must-include ID of the same GPU, the first available ID of that GPU not yet chosen. Stops at
   * {@code size} IDs.
   *
   * @param available kubelet's available device IDs, in kubelet's order
   * @param mustInclude IDs kubelet requires; each counts against its GPU
   * @param annotatedUuids the physical UUIDs of the container's annotation entry, in order
   * @param size how many IDs kubelet wants
   * @return the chosen IDs, must-include first
   * @throws PreferredAllocationException when an annotated UUID has no available ID left, naming
   *     the UUID
   */
  public static List<String> select(
      List<String> available, List<String> mustInclude, List<String> annotatedUuids, int size) {
    var chosen = new LinkedHashSet<String>(mustInclude);
    var coveredByMustInclude = new HashMap<String, Integer>();
    for (String id : mustInclude) {
      coveredByMustInclude.merge(DeviceIds.physicalUuid(id), 1, Integer::sum);
    }
    for (String uuid : annotatedUuids) {
      if (chosen.size() >= size) {
        break;
      }
      int covered = coveredByMustInclude.getOrDefault(uuid, 0);
      if (covered > 0) {
        coveredByMustInclude.put(uuid, covered - 1);
        continue;
      }
      String pick = null;
      for (String id : available) {
        if (!chosen.contains(id) && DeviceIds.physicalUuid(id).equals(uuid)) {
          pick = id;
          break;
        }
      }
      if (pick == null) {
        throw new PreferredAllocationException(
            "annotated device "
                + uuid
                + " has no available kubelet device ID (available: "
                + available
                + ", already chosen: "
                + chosen
                + ")");
      }
      chosen.add(pick);
    }
    return List.copyOf(new ArrayList<>(chosen));
  }
}
