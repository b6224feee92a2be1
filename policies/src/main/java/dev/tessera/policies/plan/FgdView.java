package dev.tessera.policies.plan;

import dev.tessera.engine.features.BaselineScores;
import dev.tessera.engine.features.FgdNode;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.engine.usage.CollapsedDevice;
import dev.tessera.policies.facts.FgdNodeState;
import dev.tessera.policies.facts.FgdShares;
import java.util.List;

/**
 * How the FGD paper's node and pod shapes ({@link FgdNode}, {@link FgdPod}: milli-GPU per GPU,
 * milli-CPU) are read from the engine's HAMi model, so the engine's FGD functions can score plans.
 *
 * <p>Shares and idle milli come from {@link FgdShares}, the one mapping the simulator's DRL facts
 * use too (larger of core share and memory share). The engine does not track CPU per pod, so a
 * node's CPU left is its allocatable CPU ({@link
 * dev.tessera.engine.features.BaselineScores#MAX_CPU_MILLI} when unknown) and pods ask for none
 * (the paper then counts 100 milli).
 */
public final class FgdView {
  private FgdView() {}

  /** Whether the GPU is healthy and holds no pod at all: what defragmentation frees. */
  public static boolean wholeIdle(DeviceUsage d) {
    return d.healthy() && d.used() == 0 && d.usedMemMiB() == 0 && d.usedCores() == 0;
  }

  /** Number of {@link #wholeIdle} GPUs in {@code usage}. */
  public static int wholeIdleCount(List<DeviceUsage> usage) {
    int n = 0;
    for (DeviceUsage d : usage) {
      if (wholeIdle(d)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The node as FGD sees it with {@code usage} (register order); model = first GPU's type without
   * the {@code NVIDIA-} prefix ({@link FgdNodeState#modelOf}).
   */
  public static FgdNode node(Node node, List<DeviceUsage> usage) {
    int[] idle = new int[usage.size()];
    for (int i = 0; i < idle.length; i++) {
      idle[i] = FgdShares.idleMilli(usage.get(i));
    }
    long cpu = node.cpuMilli() > 0 ? node.cpuMilli() : (long) BaselineScores.MAX_CPU_MILLI;
    // FGD models carry no vendor prefix (V100M16, not NVIDIA-V100M16), as the DRL facts read them;
    // with the prefix no typed class of the target workload would ever admit the node.
    String model = usage.isEmpty() ? "" : FgdNodeState.modelOf(usage.get(0).type());
    // Host memory is not part of the GPU fit the plans use: never the limiting resource here.
    return new FgdNode(cpu, Long.MAX_VALUE / 4, idle, model);
  }

  /**
   * The pod as FGD sees it on a node with {@code usage}: k = GPUs its app containers ask for, m =
   * the largest per-GPU share (percent memory measured on the node's first GPU). FGD knows only
   * whole GPUs for k &gt; 1, so such pods count as whole-GPU pods; a GPU ask with neither memory
   * nor cores still takes 1 milli.
   */
  public static FgdPod pod(List<GpuRequest> requests, int initCount, List<DeviceUsage> usage) {
    int k = 0;
    int m = 0;
    for (int i = initCount; i < requests.size(); i++) {
      GpuRequest r = requests.get(i);
      if (r.isEmpty()) {
        continue;
      }
      k += r.count();
      if (!usage.isEmpty()) {
        DeviceUsage ref = usage.get(0);
        m = Math.max(m, FgdShares.requestMilli(r, ref.totalMemMiB(), ref.totalCores()));
      }
    }
    return shaped(k, m);
  }

  /** A running pod as FGD sees it, from what it books on the node's GPUs. */
  public static FgdPod pod(CachedPod pod, List<DeviceUsage> usage) {
    int k = 0;
    int m = 0;
    for (List<CollapsedDevice> perType : pod.usage().values()) {
      for (CollapsedDevice c : perType) {
        k++;
        DeviceUsage d = byUuid(usage, c.uuid());
        if (d != null) {
          m = Math.max(m, FgdShares.shareMilli(d, c.usedMemMiB(), c.usedCores()));
        }
      }
    }
    return shaped(k, m);
  }

  /** A booked container list as FGD sees it (for running pods given as placements). */
  public static FgdPod pod(List<List<ContainerDevice>> containers, List<DeviceUsage> usage) {
    int k = 0;
    int m = 0;
    for (List<ContainerDevice> c : containers) {
      for (ContainerDevice cd : c) {
        k++;
        DeviceUsage d = byUuid(usage, cd.uuid());
        if (d != null) {
          m = Math.max(m, FgdShares.shareMilli(d, cd.usedMemMiB(), cd.usedCores()));
        }
      }
    }
    return shaped(k, m);
  }

  private static FgdPod shaped(int k, int m) {
    if (k == 0) {
      return FgdPod.of(0, 0, 0);
    }
    int milli = k > 1 ? 1000 : Math.max(1, m);
    return FgdPod.of(0, k, milli);
  }

  private static DeviceUsage byUuid(List<DeviceUsage> usage, String uuid) {
    for (DeviceUsage d : usage) {
      if (d.id().equals(uuid)) {
        return d;
      }
    }
    return null;
  }
}
