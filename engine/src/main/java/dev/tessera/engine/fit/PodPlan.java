package dev.tessera.engine.fit;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.quota.QuotaState;
import java.util.List;

/**
 * Everything about a pod that node evaluation needs, prepared once per scheduling decision and
 * shared by all nodes: per-container requests (init containers first), parsed selectors, the device
 * ordering and the quota gate.
 *
 * @param requests one NVIDIA request per container, init containers first; {@link GpuRequest#NONE}
 *     for none
 * @param initCount how many leading entries are init containers
 * @param selectors parsed pod annotations
 * @param order device ordering; in production the pod's GPU policy and numaBind
 * @param quota quota gate per container, given the pod's earlier containers' devices
 */
public record PodPlan(
    List<GpuRequest> requests,
    int initCount,
    PodSelectors selectors,
    DeviceOrder order,
    QuotaGates quota) {
  public PodPlan {
    requests = List.copyOf(requests);
    if (initCount < 0 || initCount > requests.size()) {
      throw new IllegalArgumentException("initCount out of range: " + initCount);
    }
  }

  /** Builds quota gates for one container from the devices of the pod's earlier containers. */
  @FunctionalInterface
  public interface QuotaGates {
    QuotaGates NONE = earlier -> QuotaGate.OPEN;

    QuotaGate forContainer(List<List<ContainerDevice>> earlier);
  }

  /**
   * The plan for {@code pod}.
   *
   * @param defaultGpuPolicy the scheduler's {@code --gpu-scheduler-policy}
   * @param quota the quota cache, or {@code null} when quotas are not tracked
   * @throws InvalidScoringWeightsException when the pod's score weights are invalid (reject the
   *     pod)
   */
  public static PodPlan of(PodRequest pod, String defaultGpuPolicy, QuotaState quota) {
    PodSelectors sel = PodSelectors.parse(pod.annotations(), defaultGpuPolicy);
    QuotaGates gates =
        quota == null
            ? QuotaGates.NONE
            : earlier ->
                quota.gate(pod.namespace(), GpuRequest.NVIDIA, earlier, pod.initContainerCount());
    return new PodPlan(
        pod.requests(),
        pod.initContainerCount(),
        sel,
        DeviceOrder.of(sel.gpuPolicy(), sel.numaBind()),
        gates);
  }

  /** The same plan with another device ordering (tests pin the list order per node). */
  public PodPlan withOrder(DeviceOrder newOrder) {
    return new PodPlan(requests, initCount, selectors, newOrder, quota);
  }
}
