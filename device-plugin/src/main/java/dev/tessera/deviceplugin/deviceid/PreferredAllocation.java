package dev.tessera.deviceplugin.deviceid;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * GetPreferredAllocation's choice for one container (hami-compat §8.5): the scheduler's annotated
 * physical GPUs mapped onto kubelet's available device IDs.
 */
public final class PreferredAllocation {
  private PreferredAllocation() {}

  /**
   * One container request of a GetPreferredAllocation call.
   *
   * @param available kubelet's available device IDs
   * @param mustInclude IDs kubelet requires
   * @param size how many IDs kubelet wants
   */
  public record ContainerRequest(List<String> available, List<String> mustInclude, int size) {
    public ContainerRequest {
      available = List.copyOf(available);
      mustInclude = List.copyOf(mustInclude);
    }
  }

  /**
   * Answers a whole GetPreferredAllocation call: the i-th request is matched with the i-th
   * non-empty entry of {@code annotatedEntries} (kubelet only asks for containers that use GPUs). A
   * request without an entry, or whose selection fails, gets no preference (empty); HAMi then
   * leaves its response out.
   *
   * @param annotatedEntries the pod's to-allocate entries (init containers first), each the UUIDs
   *     of one container
   */
  public static List<Optional<List<String>>> forRequests(
      List<List<String>> annotatedEntries, List<ContainerRequest> requests) {
    var nonEmpty = annotatedEntries.stream().filter(e -> !e.isEmpty()).toList();
    var out = new ArrayList<Optional<List<String>>>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      if (i >= nonEmpty.size()) {
        out.add(Optional.empty());
        continue;
      }
      var r = requests.get(i);
      try {
        out.add(Optional.of(select(r.available(), r.mustInclude(), nonEmpty.get(i), r.size())));
      } catch (PreferredAllocationException e) {
        out.add(Optional.empty());
      }
    }
    return out;
  }

  /**
   * Chooses device IDs as HAMi does: every must-include ID first; then, for each of the first
   * {@code size} annotated UUIDs, either a must-include ID of the same GPU covers it, or the next
   * not-yet-chosen available ID of that GPU (in kubelet's order) is taken.
   *
   * @param available kubelet's available device IDs, in kubelet's order
   * @param mustInclude IDs kubelet requires; each counts against its GPU
   * @param annotatedUuids the UUIDs of the container's annotation entry, in order
   * @param size how many IDs kubelet wants
   * @return the chosen IDs, must-include first, exactly {@code size} of them
   * @throws PreferredAllocationException when fewer than {@code size} UUIDs are annotated, an
   *     annotated GPU has no available ID left (the message names the GPU), or the result does not
   *     have {@code size} IDs; the server then gives no preference for this container
   */
  public static List<String> select(
      List<String> available, List<String> mustInclude, List<String> annotatedUuids, int size) {
    if (annotatedUuids.size() < size) {
      throw new PreferredAllocationException(
          "annotated devices "
              + annotatedUuids.size()
              + " smaller than requested allocation size "
              + size);
    }
    var selected = new ArrayList<String>(mustInclude);
    var required = new HashSet<>(mustInclude);
    var requiredByGpu = new HashMap<String, Integer>();
    for (String id : mustInclude) {
      requiredByGpu.merge(DeviceIds.physicalUuid(id), 1, Integer::sum);
    }
    var availableByGpu = new HashMap<String, ArrayDeque<String>>();
    for (String id : available) {
      if (!required.contains(id)) {
        availableByGpu.computeIfAbsent(DeviceIds.physicalUuid(id), k -> new ArrayDeque<>()).add(id);
      }
    }
    for (String uuid : annotatedUuids.subList(0, size)) {
      String gpu = DeviceIds.physicalUuid(uuid);
      int covered = requiredByGpu.getOrDefault(gpu, 0);
      if (covered > 0) {
        requiredByGpu.put(gpu, covered - 1);
        continue;
      }
      var candidates = availableByGpu.get(gpu);
      if (candidates == null || candidates.isEmpty()) {
        throw new PreferredAllocationException(
            "no available slice device found for annotated GPU " + gpu);
      }
      selected.add(candidates.poll());
    }
    if (selected.size() != size) {
      throw new PreferredAllocationException(
          "preferred allocation selected " + selected.size() + " devices, want " + size);
    }
    return List.copyOf(selected);
  }
}
