package dev.tessera.engine.fit;

import dev.tessera.engine.fit.mig.MigPlanner;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PairScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whole-pod evaluation of one node (hami-compat §7.1, HAMi's {@code calcScore}) and one container
 * on one node (§7.1.1, {@code fitInDevices}). Stateless; inputs are never modified.
 */
public final class NodeEvaluator {
  /** Reason when a container asks for more GPUs than the node has of that type. */
  public static final String NODE_INSUFFICIENT_DEVICE = "NodeInsufficientDevice";

  /** Reason when a request names a device vendor with no backend. */
  public static final String DEVICE_TYPE_NOT_FOUND = "Device type not found";

  private NodeEvaluator() {}

  /** Result of evaluating a pod on a node. */
  public sealed interface Outcome permits Placed, Rejected {}

  /**
   * The pod fits.
   *
   * @param containers devices per container, init containers first; empty for containers without a
   *     request
   * @param score node score on the usage before the pod (§7.4)
   */
  public record Placed(List<List<ContainerDevice>> containers, float score) implements Outcome {
    public Placed {
      containers = List.copyOf(containers);
    }
  }

  /** The pod does not fit; {@code reason} is HAMi's failure string for this node. */
  public record Rejected(String reason) implements Outcome {}

  /**
   * Result of placing one container.
   *
   * @param fits whether it fits
   * @param devices chosen devices (MIG devices carry their profile's memory, cores and slot)
   * @param reason failure reason; empty on success
   */
  public record ContainerFit(boolean fits, List<ContainerDevice> devices, String reason) {
    static ContainerFit failed(String reason) {
      return new ContainerFit(false, List.of(), reason);
    }
  }

  /**
   * Evaluates {@code plan} on {@code node}, whose devices (register order) currently have {@code
   * usage}; pair scores and cordoned GPUs come from the node.
   */
  public static Outcome evaluate(PodPlan plan, Node node, List<DeviceUsage> usage) {
    return evaluate(plan, usage, node.pairScores(), node.cordoned());
  }

  /**
   * Evaluates {@code plan} on a node whose devices (register order) currently have {@code usage}.
   *
   * @param pairScores the node's GPU link scores
   * @param cordoned the node's cordoned GPU UUIDs
   */
  public static Outcome evaluate(
      PodPlan plan, List<DeviceUsage> usage, PairScores pairScores, Set<String> cordoned) {
    List<GpuRequest> reqs = plan.requests();
    List<List<ContainerDevice>> out = new ArrayList<>(reqs.size());
    for (int i = 0; i < plan.initCount(); i++) {
      GpuRequest r = reqs.get(i);
      if (r.isEmpty()) {
        out.add(List.of());
        continue;
      }
      // init containers run one at a time: each sees only the node as it was before the pod
      DeviceUsage[] fresh = usage.toArray(new DeviceUsage[0]);
      ContainerFit f =
          fitInDevices(fresh, r, plan, pairScores, cordoned, plan.quota().forContainer(out));
      if (!f.fits()) {
        return new Rejected(f.reason());
      }
      out.add(f.devices());
    }
    DeviceUsage[] working = usage.toArray(new DeviceUsage[0]);
    for (int i = plan.initCount(); i < reqs.size(); i++) {
      GpuRequest r = reqs.get(i);
      if (r.isEmpty()) {
        out.add(List.of());
        continue;
      }
      ContainerFit f =
          fitInDevices(working, r, plan, pairScores, cordoned, plan.quota().forContainer(out));
      if (!f.fits()) {
        return new Rejected(f.reason());
      }
      out.add(f.devices());
    }
    // a pure function of the usage before the pod, so computed only for nodes that fit
    return new Placed(out, Scores.nodeScore(usage));
  }

  /**
   * The node score (§7.4) when {@code plan} certainly fits on a node whose devices have {@code
   * usage}, found without choosing devices; null when that is not certain, and then {@link
   * #evaluate} decides. Certain for a pod whose only GPU request is one app container's, asking at
   * least one GPU, when enough devices pass Fit's checks order-free ({@link
   * DeviceFit#orderFreePassing}). Filters need only "fits" and the score, and this answers them
   * without Fit's allocations; the score is the one {@link Placed} carries.
   */
  public static Float certainScore(PodPlan plan, Node node, List<DeviceUsage> usage) {
    List<GpuRequest> reqs = plan.requests();
    GpuRequest only = null;
    for (int i = 0; i < reqs.size(); i++) {
      GpuRequest r = reqs.get(i);
      if (r.isEmpty()) {
        continue;
      }
      if (only != null || i < plan.initCount()) {
        return null;
      }
      only = r;
    }
    if (only == null
        || !GpuRequest.NVIDIA.equals(only.type())
        || plan.quota() != PodPlan.QuotaGates.NONE) {
      return null;
    }
    int passing =
        DeviceFit.orderFreePassing(usage, only, plan.selectors(), node.cordoned(), QuotaGate.OPEN);
    return only.count() >= 1 && passing >= only.count() ? Scores.nodeScore(usage) : null;
  }

  /**
   * Places one container's request on a node (§7.1.1) and, on success, books the chosen devices in
   * {@code working} (same order as registered; entries are replaced).
   */
  public static ContainerFit fitInDevices(
      DeviceUsage[] working,
      GpuRequest request,
      PodPlan plan,
      PairScores pairScores,
      Set<String> cordoned,
      QuotaGate quota) {
    if (!GpuRequest.NVIDIA.equals(request.type())) {
      return ContainerFit.failed(DEVICE_TYPE_NOT_FOUND);
    }
    PodSelectors sel = plan.selectors();
    if (cannotFit(working, request, sel, cordoned, quota)) {
      // The outcome is a rejection whose counters do not depend on device order (see
      // cannotFit), so skip scoring and sorting; should Fit disagree, take the full path.
      FitResult r =
          fitIn(registerOrder(working.length), working, request, sel, cordoned, pairScores, quota);
      if (r == null || !r.fits()) {
        return ContainerFit.failed(r == null ? NODE_INSUFFICIENT_DEVICE : r.reason());
      }
    }
    int n = working.length;
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      scores[i] = Scores.deviceScore(working[i], request, sel.weights());
    }
    int[] sorted = stableOrder(working, scores, plan.order());
    FitResult r = fitIn(sorted, working, request, sel, cordoned, pairScores, quota);
    if (r == null) {
      return ContainerFit.failed(NODE_INSUFFICIENT_DEVICE);
    }
    if (!r.fits()) {
      return ContainerFit.failed(r.reason());
    }
    List<ContainerDevice> chosen = r.devices();
    // positions do not change while booking (entries are replaced by the same GPU), so find them
    // once
    int[] positions = new int[chosen.size()];
    boolean anyMig = false;
    for (int j = 0; j < positions.length; j++) {
      positions[j] = positionOf(working, chosen.get(j).uuid());
      anyMig |= working[positions[j]].device().isMig();
    }
    if (!anyMig) {
      // the usual case: the chosen devices are booked as chosen, so reuse Fit's immutable list
      for (int j = 0; j < positions.length; j++) {
        ContainerDevice cd = chosen.get(j);
        int pos = positions[j];
        working[pos] = working[pos].plus(1, cd.usedMemMiB(), cd.usedCores());
      }
      return new ContainerFit(true, chosen, "");
    }
    List<ContainerDevice> booked = new ArrayList<>(chosen.size());
    for (int j = 0; j < positions.length; j++) {
      ContainerDevice cd = chosen.get(j);
      int pos = positions[j];
      DeviceUsage d = working[pos];
      if (d.device().isMig()) {
        Optional<MigPlanner.Booking> b = MigPlanner.addUsage(d, cd);
        if (b.isEmpty()) {
          return ContainerFit.failed(FitReason.CardMigTopologyInfeasible.name());
        }
        working[pos] = b.get().usage();
        booked.add(b.get().device());
      } else {
        working[pos] = d.plus(1, cd.usedMemMiB(), cd.usedCores());
        booked.add(cd);
      }
    }
    return new ContainerFit(true, booked, "");
  }

  /**
   * Steps 2–3 of §7.1.1 and Fit over {@code working} taken in {@code order}: the request's
   * candidate devices, HAMi's device-count check, then Fit. {@code null} means {@link
   * #NODE_INSUFFICIENT_DEVICE}.
   */
  private static FitResult fitIn(
      int[] order,
      DeviceUsage[] working,
      GpuRequest request,
      PodSelectors sel,
      Set<String> cordoned,
      PairScores pairScores,
      QuotaGate quota) {
    List<DeviceUsage> candidates = new ArrayList<>(order.length);
    for (int i : order) {
      DeviceUsage d = working[i];
      if (Text.containsIgnoreCase(d.type(), request.type())) {
        candidates.add(d);
      }
    }
    boolean mig = MigPlanner.isMigRequest(request.type(), candidates, sel.vgpuMode());
    if (!mig && request.count() > candidates.size()) {
      return null;
    }
    return DeviceFit.fit(candidates, request, sel, cordoned, pairScores, quota, false);
  }

  /**
   * True when {@code request} certainly does not fit and the rejection cannot depend on device
   * order: fewer devices than requested pass Fit's checks order-free ({@link
   * DeviceFit#orderFreePassing}), so Fit cannot select enough, and its per-device counters and
   * partial-selection count are the same in any order.
   */
  static boolean cannotFit(
      DeviceUsage[] working,
      GpuRequest request,
      PodSelectors sel,
      Set<String> cordoned,
      QuotaGate quota) {
    int passing =
        DeviceFit.orderFreePassing(java.util.Arrays.asList(working), request, sel, cordoned, quota);
    return passing >= 0 && passing < request.count();
  }

  private static int[] registerOrder(int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    return idx;
  }

  /**
   * Positions of {@code devices} sorted by {@code order}, equal elements keeping their register
   * order: the result of a stable sort (what {@code Arrays.sort} on objects gives) without boxing
   * each device with its score. Insertion sort, as node GPU counts are small (Go's sort does the
   * same below 12 elements).
   */
  static int[] stableOrder(DeviceUsage[] devices, float[] scores, DeviceOrder order) {
    int n = devices.length;
    for (float f : scores) {
      if (Float.isNaN(f)) {
        return sortedByComparator(devices, scores, order);
      }
    }
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      int j = i;
      // move left only past strictly greater elements, so equal ones keep their order (stable)
      while (j > 0 && less(order, devices, scores, i, idx[j - 1])) {
        idx[j] = idx[j - 1];
        j--;
      }
      idx[j] = i;
    }
    return idx;
  }

  /**
   * The straightforward order: box each device with its score and sort with the order's comparator.
   * Used when a score is NaN, where {@code less} is no strict weak order and only the library
   * sort's exact comparisons reproduce the result.
   */
  static int[] sortedByComparator(DeviceUsage[] devices, float[] scores, DeviceOrder order) {
    int n = devices.length;
    record Item(DeviceOrder.ScoredDevice scored, int position) {}
    Item[] items = new Item[n];
    for (int i = 0; i < n; i++) {
      items[i] = new Item(new DeviceOrder.ScoredDevice(devices[i], scores[i]), i);
    }
    var cmp = order.comparator();
    java.util.Arrays.sort(items, (a, b) -> cmp.compare(a.scored(), b.scored()));
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = items[i].position();
    }
    return idx;
  }

  private static boolean less(DeviceOrder order, DeviceUsage[] d, float[] s, int a, int b) {
    DeviceUsage x = d[a];
    DeviceUsage y = d[b];
    return order.less(s[a], x.numa(), x.index(), x.used(), s[b], y.numa(), y.index(), y.used());
  }

  private static int positionOf(DeviceUsage[] working, String uuid) {
    int hash = uuid.hashCode();
    for (int i = 0; i < working.length; i++) {
      String id = working[i].id();
      // UUID strings live as long as the snapshot, so their cached hashes reject most cheaply
      if (id == uuid || (id.hashCode() == hash && id.equals(uuid))) {
        return i;
      }
    }
    throw new IllegalStateException("Fit chose GPU " + uuid + " that is not on the node");
  }
}
