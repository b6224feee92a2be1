package dev.tessera.sim.loop;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.policies.facts.FgdShares;
import dev.tessera.sim.trace.TraceNode;
import dev.tessera.sim.trace.TracePod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Native trace records as the engine and the FGD features see them.
 *
 * <ul>
 *   <li>A node's GPUs register as type {@code NVIDIA-<model>} (HAMi's {@code NVIDIA-} prefix), 100
 *       cores each and {@link #SPLIT_COUNT} sharing slots, UUID {@code <node>-gpu<j>}.
 *   <li>A pod is one container asking {@code gpuCount} GPUs of {@code gpuCores} percent cores and
 *       {@code gpuMemoryPercent} percent (or {@code gpuMemoryMiB}) memory each; {@code gpuType}
 *       becomes {@code nvidia.com/use-gputype}.
 * </ul>
 *
 * <p>With cores = memory percent = m/10 (the openb mapping) HAMi's fit is exactly the FGD paper's
 * GPU feasibility (policies.md §3.1): a GPU takes the pod iff its unbooked cores are at least m/10,
 * because memory floors sum to at most the exact share and so never bind first, and a whole GPU
 * (100 cores) needs a GPU nobody uses. Slots never bind: every pod books at least 1 % of cores.
 */
public final class EngineMapping {
  /** Sharing slots per GPU: 100, as each pod books at least one percent of the cores. */
  public static final int SPLIT_COUNT = 100;

  /** Namespace of simulated pods. */
  public static final String NAMESPACE = "sim";

  private EngineMapping() {}

  /** The registered GPU type of a trace model. */
  public static String gpuType(String model) {
    return "NVIDIA-" + model;
  }

  /** UUID of GPU {@code j} of {@code node}. */
  public static String uuid(String node, int j) {
    return node + "-gpu" + j;
  }

  /** The engine node of a trace node. */
  public static Node node(TraceNode n) {
    var devices = new ArrayList<GpuDevice>(n.gpuCount());
    for (int j = 0; j < n.gpuCount(); j++) {
      devices.add(
          GpuDevice.of(
              uuid(n.name(), j), j, gpuType(n.gpuModel()), n.gpuMemoryMiB(), 100, SPLIT_COUNT, 0));
    }
    return new Node(n.name(), n.labels(), n.cpuMilli(), n.memoryMiB(), devices, null, null);
  }

  /** The pod's key in the simulated cluster snapshot. */
  public static String podKey(TracePod p) {
    return NAMESPACE + "/" + p.name();
  }

  /** The engine request of a trace pod, with extra annotations (e.g. a GPU UUID pin). */
  public static PodRequest pod(TracePod p, Map<String, String> extraAnnotations) {
    var annotations = new java.util.HashMap<String, String>(extraAnnotations);
    if (!p.gpuType().isEmpty()) {
      annotations.put(Annotations.USE_GPU_TYPE, p.gpuType());
    }
    GpuRequest r = request(p);
    return new PodRequest(NAMESPACE, p.name(), "", annotations, List.of("main"), 0, List.of(r));
  }

  /** The container's GPU request; {@link GpuRequest#NONE} for a CPU-only pod. */
  public static GpuRequest request(TracePod p) {
    if (p.gpuCount() == 0) {
      return GpuRequest.NONE;
    }
    // cores as asked; without a cores ask HAMi's default books the nominal share
    int cores = p.gpuCores() > 0 ? p.gpuCores() : p.gpuMilli() / 10;
    int percent;
    if (p.gpuMemoryPercent() > 0) {
      percent = p.gpuMemoryPercent();
    } else if (p.gpuMemoryMiB() > 0) {
      percent = GpuRequest.PERCENT_UNSET;
    } else {
      percent = cores;
    }
    return new GpuRequest(p.gpuCount(), GpuRequest.NVIDIA, p.gpuMemoryMiB(), percent, cores);
  }

  /**
   * The pod's nominal shape for the FGD target workload: CPU, memory, k, m = {@link
   * TracePod#gpuMilli()}, and the type list as a {@code |} spec.
   *
   * @throws IllegalArgumentException for a multi-GPU pod asking less than whole GPUs, which the FGD
   *     model does not define
   */
  public static FgdPod shape(TracePod p) {
    return shape(p, p.gpuMilli());
  }

  /**
   * The pod's shape on a GPU of {@code gpuMemoryMiB} (100 cores, as {@link #node} registers it): m
   * is the share its engine request books there ({@link FgdShares#requestMilli}), so the FGD view
   * and the engine's fit agree on which GPUs can take it. For requests in percent this is {@link
   * #shape(TracePod)} on every GPU of more than 1000 MiB.
   */
  public static FgdPod shapeOn(TracePod p, int gpuMemoryMiB) {
    if (p.gpuCount() == 0 || p.gpuMemoryMiB() == 0) {
      return shape(p);
    }
    return shape(p, FgdShares.requestMilli(request(p), gpuMemoryMiB, 100));
  }

  private static FgdPod shape(TracePod p, int milli) {
    try {
      return new FgdPod(
          p.cpuMilli(), p.memoryMiB(), p.gpuCount(), milli, p.gpuType().replace(',', '|'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pod " + p.name() + ": " + e.getMessage(), e);
    }
  }
}
