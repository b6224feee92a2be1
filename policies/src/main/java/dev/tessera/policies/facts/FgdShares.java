package dev.tessera.policies.facts;

import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;

/**
 * The one mapping from HAMi's per-GPU bookings (memory MiB and percent of cores) to the FGD paper's
 * milli-GPU (1000 = a whole GPU), used by the simulator's and the extender's DRL facts ({@link
 * FgdNodeState}) and by the plans' OptaPlanner view ({@code policies.plan.FgdView}).
 *
 * <p>A booking's share is the larger of its core share and its memory share, each rounded up to a
 * whole milli: HAMi books both, and whichever runs out first is what stops the next pod. A GPU's
 * idle milli is 1000 minus the share of what is booked on it, and 0 when it is unhealthy or every
 * sharing slot is taken. For the openb traces (cores = memory percent = m/10, memory booked as the
 * floor of the percentage) the memory share rounds up to exactly the core share, so this is the
 * paper's idle m of policies.md §1 to the last milli.
 */
public final class FgdShares {
  private FgdShares() {}

  /**
   * Milli-GPU that {@code memMiB} and {@code cores} percent take on a GPU of {@code totalMemMiB}
   * and {@code totalCores}, in [0,1000].
   */
  public static int shareMilli(long totalMemMiB, long totalCores, long memMiB, long cores) {
    long byCores = totalCores <= 0 ? 0 : ceilDiv(cores * 1000, totalCores);
    long byMem = totalMemMiB <= 0 ? 0 : ceilDiv(memMiB * 1000, totalMemMiB);
    return (int) Math.max(0, Math.min(1000, Math.max(byCores, byMem)));
  }

  /** Milli-GPU a booking of {@code memMiB} and {@code cores} percent takes on {@code device}. */
  public static int shareMilli(DeviceUsage device, long memMiB, long cores) {
    return shareMilli(device.totalMemMiB(), device.totalCores(), memMiB, cores);
  }

  /** Idle milli-GPU of one GPU: 0 when unhealthy or out of sharing slots. */
  public static int idleMilli(DeviceUsage d) {
    if (!d.healthy() || d.used() >= d.count()) {
      return 0;
    }
    return 1000 - shareMilli(d, d.usedMemMiB(), d.usedCores());
  }

  /**
   * The per-GPU share m of {@code request} on a GPU of {@code totalMemMiB} and {@code totalCores}
   * (memory percent resolved as HAMi books it); at least 1 milli, since FGD has no zero-share GPU
   * pod. A request without GPUs is 0.
   */
  public static int requestMilli(GpuRequest request, int totalMemMiB, int totalCores) {
    if (request.isEmpty()) {
      return 0;
    }
    return Math.max(
        1, shareMilli(totalMemMiB, totalCores, request.memoryOn(totalMemMiB), request.cores()));
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
