package dev.tessera.engine.fit;

import dev.tessera.engine.fit.mig.MigPlanner;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PairScores;
import java.util.ArrayList;
import java.util.Arrays;
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
    float score = Scores.nodeScore(usage);
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
    return new Placed(out, score);
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
    List<GpuRequest> containerRequests = List.of(request);
    DeviceOrder.ScoredDevice[] scored = new DeviceOrder.ScoredDevice[working.length];
    for (int i = 0; i < working.length; i++) {
      scored[i] =
          new DeviceOrder.ScoredDevice(
              working[i], Scores.deviceScore(working[i], containerRequests, sel.weights()));
    }
    Arrays.sort(scored, plan.order().comparator()); // stable, like Go's insertion sort for <= 12
    List<DeviceUsage> candidates = new ArrayList<>(scored.length);
    for (DeviceOrder.ScoredDevice s : scored) {
      if (Text.containsIgnoreCase(s.usage().type(), request.type())) {
        candidates.add(s.usage());
      }
    }
    boolean mig = MigPlanner.isMigRequest(request.type(), candidates, sel.vgpuMode());
    if (!mig && request.count() > candidates.size()) {
      return ContainerFit.failed(NODE_INSUFFICIENT_DEVICE);
    }
    FitResult r = DeviceFit.fit(candidates, request, sel, cordoned, pairScores, quota);
    if (!r.fits()) {
      return ContainerFit.failed(r.reason());
    }
    List<ContainerDevice> booked = new ArrayList<>(r.devices().size());
    for (ContainerDevice cd : r.devices()) {
      int pos = positionOf(working, cd.uuid());
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

  private static int positionOf(DeviceUsage[] working, String uuid) {
    for (int i = 0; i < working.length; i++) {
      if (working[i].id().equals(uuid)) {
        return i;
      }
    }
    throw new IllegalStateException("Fit chose GPU " + uuid + " that is not on the node");
  }
}
