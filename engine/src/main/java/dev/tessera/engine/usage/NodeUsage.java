package dev.tessera.engine.usage;

import dev.tessera.engine.codec.MigReservation;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.MigAllocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A node's device usage rebuilt from its registered GPUs and the pods assigned to it (hami-compat
 * §7.10), including MIG instances in use (§7.9).
 */
public final class NodeUsage {
  private NodeUsage() {}

  /**
   * Usage per registered device, in register order. Per device and pod: {@code used += max(slots,
   * 1)}, memory and cores added. MIG reservations are restored into {@code migInUse}; a GPU fails
   * closed (reported unhealthy) when a pod device on it in {@code mig} mode has no matching
   * reservation, or a reservation names it while it is not in {@code mig} mode. Devices a pod names
   * that the node does not register are ignored.
   */
  public static List<DeviceUsage> compute(List<GpuDevice> registered, List<CachedPod> pods) {
    var index = new HashMap<String, Integer>();
    var usage = new ArrayList<DeviceUsage>(registered.size());
    for (GpuDevice d : registered) {
      index.putIfAbsent(d.uuid(), usage.size());
      usage.add(DeviceUsage.idle(d));
    }
    Set<String> failClosed = new HashSet<>();
    Map<String, List<MigAllocation>> mig = new HashMap<>();
    for (CachedPod pod : pods) {
      for (var perType : pod.usage().values()) {
        for (CollapsedDevice c : perType) {
          Integer i = index.get(c.uuid());
          if (i != null) {
            usage.set(i, usage.get(i).plus(Math.max(c.slots(), 1), c.usedMemMiB(), c.usedCores()));
          }
        }
      }
      restoreMig(pod, usage, index, failClosed, mig);
    }
    for (int i = 0; i < usage.size(); i++) {
      DeviceUsage u = usage.get(i);
      List<MigAllocation> inUse = mig.getOrDefault(u.id(), List.of());
      if (!inUse.isEmpty()) {
        u = new DeviceUsage(u.device(), u.used(), u.usedMemMiB(), u.usedCores(), inUse);
      }
      if (failClosed.contains(u.id())) {
        u = u.withHealth(false);
      }
      usage.set(i, u);
    }
    return usage;
  }

  /**
   * The usage after adding ({@code add}) or removing {@code pod}'s booking to or from {@code usage}
   * (a result of {@link #compute} over the node's other pods, or including {@code pod} when
   * removing), equal to recomputing over the new pod list. Empty when the pod takes part in MIG
   * restore (it names a MIG GPU of the node or has reservations), which only {@link #compute} can
   * redo; callers then recompute.
   */
  public static Optional<List<DeviceUsage>> adjusted(
      List<DeviceUsage> usage, CachedPod pod, boolean add) {
    if (!pod.migReservations().isEmpty()) {
      return Optional.empty();
    }
    for (var perType : pod.devices().values()) {
      for (List<ContainerDevice> container : perType) {
        for (ContainerDevice d : container) {
          int i = firstIndex(usage, d.uuid());
          if (i >= 0 && usage.get(i).device().isMig()) {
            return Optional.empty();
          }
        }
      }
    }
    // Without MIG a pod only adds slots, memory and cores; int sums commute (and wrap the same
    // way), so adding or subtracting one pod equals recomputing over all of them.
    DeviceUsage[] out = usage.toArray(new DeviceUsage[0]);
    int sign = add ? 1 : -1;
    for (var perType : pod.usage().values()) {
      for (CollapsedDevice c : perType) {
        int i = firstIndex(usage, c.uuid());
        if (i < 0) {
          continue;
        }
        if (out[i].device().isMig()) {
          return Optional.empty();
        }
        out[i] =
            out[i].plus(sign * Math.max(c.slots(), 1), sign * c.usedMemMiB(), sign * c.usedCores());
      }
    }
    return Optional.of(List.of(out));
  }

  /** Position of the first device with {@code uuid}, as {@link #compute}'s index keeps; or -1. */
  private static int firstIndex(List<DeviceUsage> usage, String uuid) {
    for (int i = 0; i < usage.size(); i++) {
      if (usage.get(i).id().equals(uuid)) {
        return i;
      }
    }
    return -1;
  }

  private static void restoreMig(
      CachedPod pod,
      List<DeviceUsage> usage,
      Map<String, Integer> index,
      Set<String> failClosed,
      Map<String, List<MigAllocation>> mig) {
    var reserved = new HashSet<List<Object>>();
    for (MigReservation r : pod.migReservations()) {
      Integer i = index.get(r.gpuUuid());
      if (i == null) {
        continue;
      }
      if (!usage.get(i).device().isMig()) {
        failClosed.add(r.gpuUuid());
        continue;
      }
      reserved.add(List.of(r.containerIndex(), r.deviceIndex(), r.gpuUuid()));
      mig.computeIfAbsent(r.gpuUuid(), k -> new ArrayList<>()).add(r.toAllocation());
    }
    List<List<ContainerDevice>> containers =
        pod.devices().getOrDefault(GpuRequest.NVIDIA, List.of());
    for (int c = 0; c < containers.size(); c++) {
      List<ContainerDevice> devs = containers.get(c);
      for (int d = 0; d < devs.size(); d++) {
        String uuid = devs.get(d).uuid();
        Integer i = index.get(uuid);
        if (i != null && usage.get(i).device().isMig() && !reserved.contains(List.of(c, d, uuid))) {
          failClosed.add(uuid);
        }
      }
    }
  }
}
