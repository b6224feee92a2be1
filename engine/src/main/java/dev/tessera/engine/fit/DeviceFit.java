package dev.tessera.engine.fit;

import dev.tessera.engine.fit.mig.MigPlanner;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.PairScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** HAMi's Fit: choosing GPUs on one node for one container request (hami-compat §7.5). */
public final class DeviceFit {
  private static final int NOT_HEALTHY = FitReason.CardNotHealth.ordinal();
  private static final int CORDONED = FitReason.CardCordoned.ordinal();
  private static final int TYPE = FitReason.CardTypeMismatch.ordinal();
  private static final int NUMA = FitReason.NumaNotFit.ordinal();
  private static final int UUID = FitReason.CardUuidMismatch.ordinal();
  private static final int SLICING = FitReason.CardTimeSlicingExhausted.ordinal();
  private static final int EXCLUSIVE = FitReason.ExclusiveDeviceAllocateConflict.ordinal();
  private static final int QUOTA = FitReason.ResourceQuotaNotFit.ordinal();
  private static final int MEMORY = FitReason.CardInsufficientMemory.ordinal();
  private static final int CORE = FitReason.CardInsufficientCore.ordinal();
  private static final int COMPUTE = FitReason.CardComputeUnitsExhausted.ordinal();
  private static final int MIG = FitReason.CardMigTopologyInfeasible.ordinal();
  private static final int PARTIAL = FitReason.AllocatedCardsInsufficientRequest.ordinal();

  private DeviceFit() {}

  /**
   * Parses the node's {@code hami.io/device-cordon} value: a comma list of GPU UUIDs, trimmed,
   * blank items ignored; {@code null} means none.
   */
  public static Set<String> parseCordon(String value) {
    String[] items = Text.commaList(value);
    return items.length == 0
        ? Set.of()
        : Set.of(java.util.Arrays.stream(items).distinct().toArray(String[]::new));
  }

  /** The devices Fit sees: those whose type contains {@code nvidia} (case-insensitive). */
  public static List<DeviceUsage> nvidiaDevices(List<DeviceUsage> devices) {
    List<DeviceUsage> out = new ArrayList<>(devices.size());
    for (DeviceUsage d : devices) {
      if (Text.containsIgnoreCase(d.type(), GpuRequest.NVIDIA)) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * Runs Fit over {@code devices} (already ordered; scanned from last to first).
   *
   * @param request the container's request (count, memory, cores)
   * @param pod the pod's parsed selectors and policy
   * @param cordoned GPU UUIDs of the node's {@code hami.io/device-cordon}
   * @param pairScores the node's GPU link scores, for topology-aware selection
   * @param quota the pod's quota gate for this container
   */
  public static FitResult fit(
      List<DeviceUsage> devices,
      GpuRequest request,
      PodSelectors pod,
      Set<String> cordoned,
      PairScores pairScores,
      QuotaGate quota) {
    return fit(devices, request, pod, cordoned, pairScores, quota, true);
  }

  /**
   * {@link #fit}, with {@link FitResult#reasonCounts} filled only when {@code withCounts}: node
   * evaluation needs just the reason string, and building the map for every rejecting node of a
   * large cluster is measurable.
   */
  static FitResult fit(
      List<DeviceUsage> devices,
      GpuRequest request,
      PodSelectors pod,
      Set<String> cordoned,
      PairScores pairScores,
      QuotaGate quota,
      boolean withCounts) {
    final int nums = request.count();
    int need = nums;
    int cores = request.cores();
    int prevNuma = -1;
    int[] counts = new int[FitReason.size()];
    List<ContainerDevice> selected = new ArrayList<>(Math.max(nums, 1));
    boolean requestIsNvidia = GpuRequest.NVIDIA.equals(request.type());
    for (int i = devices.size() - 1; i >= 0; i--) {
      DeviceUsage d = devices.get(i);
      int r = screen(d, pod, cordoned, requestIsNvidia);
      if (r != PASS) {
        counts[r]++;
        continue;
      }
      if (pod.numaBind() && d.numa() != prevNuma) {
        if (need != nums) {
          counts[NUMA] += selected.size();
        }
        need = nums;
        selected.clear();
        prevNuma = d.numa();
      }
      r = eligible(d, pod);
      if (r != PASS) {
        counts[r]++;
        continue;
      }
      if (cores > 100) {
        cores = 100; // HAMi clamps the request itself, so the clamp outlives this device
      }
      int mem = request.memoryOn(d.totalMemMiB());
      if (!quota.admits(selected, d.id(), mem, cores)) {
        counts[QUOTA]++;
        continue;
      }
      r = capacity(d, mem, cores);
      if (r != PASS) {
        counts[r]++;
        continue;
      }
      boolean mig = d.device().isMig();
      if (mig && !MigPlanner.customFilter(d, mem, selected)) {
        counts[MIG]++;
        continue;
      }
      selected.add(
          new ContainerDevice(d.index(), d.id(), GpuRequest.NVIDIA, mem, cores, Optional.empty()));
      if (!pod.topology()) {
        need--;
        if (need == 0) {
          return success(selected);
        }
      }
      if (mig) {
        i++; // a MIG GPU can host several instances of this container: look at it again
      }
    }
    if (pod.topology() && selected.size() == nums) {
      return success(selected);
    }
    if (pod.topology() && selected.size() > nums) {
      return success(chooseByTopology(selected, nums, pairScores));
    }
    if (!selected.isEmpty()) {
      counts[PARTIAL] = selected.size();
    }
    return new FitResult(
        false,
        selected,
        withCounts ? FitReason.toMap(counts) : java.util.Map.of(),
        FitReason.format(counts, devices.size()));
  }

  /** What the per-device checks return when the device passes them. */
  static final int PASS = -1;

  /**
   * Fit's per-device checks that depend on neither the selection so far nor the request's size, in
   * Fit's order: health, cordon, then type and vGPU mode. The reason's position, or {@link #PASS}.
   */
  static int screen(
      DeviceUsage d, PodSelectors pod, Set<String> cordoned, boolean requestIsNvidia) {
    if (!d.healthy()) {
      return NOT_HEALTHY;
    }
    if (!cordoned.isEmpty() && cordoned.contains(d.id())) {
      return CORDONED;
    }
    if (!requestIsNvidia || !pod.typeAllowed(d.type()) || !pod.modeAllowed(d.mode())) {
      return TYPE;
    }
    return PASS;
  }

  /** Fit's checks after the NUMA step: UUID selectors, free slots, mutex. */
  static int eligible(DeviceUsage d, PodSelectors pod) {
    if (!pod.uuidAllowed(d.id())) {
      return UUID;
    }
    if (d.count() <= d.used()) {
      return SLICING;
    }
    if (pod.mutex() && d.used() > 0) {
      return EXCLUSIVE;
    }
    return PASS;
  }

  /**
   * Fit's capacity checks after the quota step, for {@code mem} MiB and {@code cores} percent
   * (already clamped to 100): free memory, free cores, a whole-card request on a used card, and a
   * zero-core request on a card with no cores left.
   */
  static int capacity(DeviceUsage d, int mem, int cores) {
    if (d.totalMemMiB() - d.usedMemMiB() < mem) {
      return MEMORY;
    }
    if (d.totalCores() - d.usedCores() < cores) {
      return CORE;
    }
    if (d.totalCores() == 100 && cores == 100 && d.used() > 0) {
      return EXCLUSIVE;
    }
    if (d.totalCores() != 0 && d.usedCores() == d.totalCores() && cores == 0) {
      return COMPUTE;
    }
    return PASS;
  }

  /**
   * How many of the NVIDIA devices among {@code devices} (those {@link #nvidiaDevices} keeps) pass
   * every per-device check of Fit, or -1 when a check depends on the devices already selected: a
   * NUMA binding (which resets the selection per NUMA node), topology selection, a quota gate, or a
   * MIG GPU (revisited per instance). Otherwise Fit, scanning every device in any order, selects
   * each passing device until it has enough, so for a request of at least one GPU a count below
   * {@code request.count()} is a certain rejection (with order-free reason counters) and one at or
   * above it a certain fit.
   */
  static int orderFreePassing(
      List<DeviceUsage> devices,
      GpuRequest request,
      PodSelectors pod,
      Set<String> cordoned,
      QuotaGate quota) {
    if (pod.numaBind() || pod.topology() || quota != QuotaGate.OPEN) {
      return -1;
    }
    boolean requestIsNvidia = GpuRequest.NVIDIA.equals(request.type());
    int cores = Math.min(request.cores(), 100); // Fit clamps before its core checks
    int passing = 0;
    for (DeviceUsage d : devices) {
      if (d.device().isMig()) {
        return -1;
      }
      if (Text.containsIgnoreCase(d.type(), GpuRequest.NVIDIA)
          && screen(d, pod, cordoned, requestIsNvidia) == PASS
          && eligible(d, pod) == PASS
          && capacity(d, request.memoryOn(d.totalMemMiB()), cores) == PASS) {
        passing++;
      }
    }
    return passing;
  }

  private static FitResult success(List<ContainerDevice> selected) {
    return new FitResult(true, selected, java.util.Map.of(), "");
  }

  private static List<ContainerDevice> chooseByTopology(
      List<ContainerDevice> candidates, int nums, PairScores scores) {
    List<String> ids = new ArrayList<>(candidates.size());
    for (ContainerDevice c : candidates) {
      ids.add(c.uuid());
    }
    if (nums == 1) {
      return List.of(candidates.get(Topology.worstSingleCard(ids, scores)));
    }
    int[] best = null;
    long bestSum = Long.MIN_VALUE;
    for (int[] combo : Topology.combinations(candidates.size(), nums)) {
      long sum = 0;
      for (int a = 0; a < combo.length; a++) {
        for (int b = a + 1; b < combo.length; b++) {
          sum += scores.score(ids.get(combo[a]), ids.get(combo[b]));
        }
      }
      if (sum > bestSum) {
        bestSum = sum;
        best = combo;
      }
    }
    List<ContainerDevice> out = new ArrayList<>(nums);
    for (int i : best) {
      out.add(candidates.get(i));
    }
    return out;
  }
}
