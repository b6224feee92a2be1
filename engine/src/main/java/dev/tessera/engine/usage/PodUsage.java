package dev.tessera.engine.usage;

import dev.tessera.engine.model.ContainerDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much of each device one pod holds (hami-compat §7.10). Init containers run one at a time
 * before the app containers, so a pod's booking is the larger of the init peak and the app sum.
 */
public final class PodUsage {
  private PodUsage() {}

  private static final class Acc {
    final String type;
    int initMem;
    int initCores;
    boolean inInit;
    int appMem;
    int appCores;
    int appEntries;

    Acc(String type) {
      this.type = type;
    }
  }

  /**
   * Collapses a pod's devices per vendor into one entry per UUID, sorted by UUID: memory and cores
   * are each {@code max(peak over init entries, sum over app entries)} and slots {@code max(app
   * entries, 1)}. Entries with index below {@code initContainerCount} are init entries.
   */
  public static Map<String, List<CollapsedDevice>> collapse(
      Map<String, List<List<ContainerDevice>>> podDevices, int initContainerCount) {
    return fold(podDevices, initContainerCount, true);
  }

  /**
   * The usage once every init container has terminated: init entries are dropped and app entries
   * summed per UUID, slots = number of app entries holding the device.
   */
  public static Map<String, List<CollapsedDevice>> appContainersOnly(
      Map<String, List<List<ContainerDevice>>> podDevices, int initContainerCount) {
    return fold(podDevices, initContainerCount, false);
  }

  private static Map<String, List<CollapsedDevice>> fold(
      Map<String, List<List<ContainerDevice>>> podDevices,
      int initContainerCount,
      boolean withInit) {
    var out = new LinkedHashMap<String, List<CollapsedDevice>>();
    for (var e : podDevices.entrySet()) {
      var byUuid = new TreeMap<String, Acc>();
      List<List<ContainerDevice>> entries = e.getValue();
      for (int i = 0; i < entries.size(); i++) {
        boolean init = i < initContainerCount;
        if (init && !withInit) {
          continue;
        }
        // One container may list a GPU once; the per-container sum guards against repeats.
        var inEntry = new LinkedHashMap<String, int[]>();
        for (ContainerDevice d : entries.get(i)) {
          byUuid.computeIfAbsent(d.uuid(), u -> new Acc(d.type()));
          int[] mc = inEntry.computeIfAbsent(d.uuid(), u -> new int[2]);
          mc[0] += d.usedMemMiB();
          mc[1] += d.usedCores();
        }
        for (var c : inEntry.entrySet()) {
          Acc a = byUuid.get(c.getKey());
          if (init) {
            a.inInit = true;
            a.initMem = Math.max(a.initMem, c.getValue()[0]);
            a.initCores = Math.max(a.initCores, c.getValue()[1]);
          } else {
            a.appEntries++;
            a.appMem += c.getValue()[0];
            a.appCores += c.getValue()[1];
          }
        }
      }
      var list = new ArrayList<CollapsedDevice>();
      byUuid.forEach(
          (uuid, a) ->
              list.add(
                  new CollapsedDevice(
                      uuid,
                      a.type,
                      Math.max(a.initMem, a.appMem),
                      Math.max(a.initCores, a.appCores),
                      Math.max(a.inInit ? 1 : 0, Math.max(a.appEntries, 1)))));
      out.put(e.getKey(), List.copyOf(list));
    }
    return out;
  }
}
