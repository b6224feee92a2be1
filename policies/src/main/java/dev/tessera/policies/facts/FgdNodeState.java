package dev.tessera.policies.facts;

import dev.tessera.engine.features.FgdMath;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.usage.CachedPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One node as the FGD paper's policies see it (policies.md §1), derived once per node state from
 * the engine's device usage and the host resources left: CPU milli left, idle milli per GPU, GPU
 * model and the GPU tags of the pods on it. Its fragmentation is computed on first use and kept.
 *
 * <p>Idle milli of GPU j is {@link FgdShares#idleMilli}: 1000 minus the larger of its booked core
 * and memory shares (a GPU with 35 % of cores and 20 % of memory booked has 650 idle). The model is
 * the first GPU's registered type without HAMi's {@code NVIDIA-} prefix, so a node registered as
 * {@code NVIDIA-V100M16} has model {@code V100M16}.
 *
 * <p>Not thread-safe (lazy fields); one instance per node state per simulation run or decision.
 */
public final class FgdNodeState {
  private static final String VENDOR_PREFIX = "NVIDIA-";

  private final String node;
  private final String model;
  private final HostFree host;
  private final int[] idle;
  private final String[] uuids;
  private final long idleTotal;
  private final List<String> tags;
  private final Fragmentation frag;
  private double fragBefore = Double.NaN;

  private FgdNodeState(
      String node,
      String model,
      HostFree host,
      int[] idle,
      String[] uuids,
      List<String> tags,
      Fragmentation frag) {
    this.node = node;
    this.model = model;
    this.host = host;
    this.idle = idle;
    this.uuids = uuids;
    this.idleTotal = FgdMath.idleSum(idle);
    this.tags = tags;
    this.frag = frag;
  }

  /**
   * The state of node {@code node} whose GPUs (register order) have {@code usage}, with {@code
   * pods} bound and {@code host} left; fragmentation is measured against {@code frag}'s workload.
   */
  public static FgdNodeState of(
      String node,
      List<DeviceUsage> usage,
      List<CachedPod> pods,
      HostFree host,
      Fragmentation frag) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(frag, "frag");
    int[] idle = new int[usage.size()];
    String[] uuids = new String[usage.size()];
    for (int j = 0; j < idle.length; j++) {
      DeviceUsage d = usage.get(j);
      uuids[j] = d.id();
      idle[j] = FgdShares.idleMilli(d);
    }
    String model = usage.isEmpty() ? "" : modelOf(usage.get(0).type());
    var tags = new ArrayList<String>(2);
    for (CachedPod p : pods) {
      String tag = tagOf(p, usage);
      if (!tag.isEmpty() && !tags.contains(tag)) {
        tags.add(tag);
      }
    }
    return new FgdNodeState(node, model, host, idle, uuids, List.copyOf(tags), frag);
  }

  /** The FGD model of a registered GPU type: the type without a leading {@code NVIDIA-}. */
  public static String modelOf(String type) {
    if (type.regionMatches(true, 0, VENDOR_PREFIX, 0, VENDOR_PREFIX.length())) {
      return type.substring(VENDOR_PREFIX.length());
    }
    return type;
  }

  /**
   * GpuClustering's tag of a bound pod (§1): {@code share} for one GPU booked below a whole GPU,
   * {@code <k>-gpu} for k GPUs, empty for a pod without GPUs. The share is {@link FgdShares}'s (the
   * larger of core and memory share), the same rule the idle amounts and the OptaPlanner side use.
   */
  static String tagOf(CachedPod p, List<DeviceUsage> usage) {
    List<List<ContainerDevice>> containers = p.devices().get(GpuRequest.NVIDIA);
    if (containers == null) {
      return "";
    }
    int n = 0;
    int share = 0;
    for (List<ContainerDevice> c : containers) {
      for (ContainerDevice d : c) {
        n++;
        DeviceUsage u = FeatureExtractor.byUuid(usage, d.uuid());
        share =
            u == null
                ? (d.usedCores() < 100 ? 0 : 1000)
                : FgdShares.shareMilli(u, d.usedMemMiB(), d.usedCores());
      }
    }
    if (n == 0) {
      return "";
    }
    return n == 1 && share < 1000 ? "share" : n + "-gpu";
  }

  /** Node name. */
  public String node() {
    return node;
  }

  /** GPU model, e.g. {@code V100M16}; empty when the node has no GPU. */
  public String model() {
    return model;
  }

  /** Host resources left. */
  public HostFree host() {
    return host;
  }

  /** CPU milli left, c_n. */
  public long cpuLeft() {
    return host.cpuMilli();
  }

  /** GPUs on the node. */
  public int gpuCount() {
    return idle.length;
  }

  /** Idle milli of every GPU, register order; a copy. */
  public int[] idle() {
    return idle.clone();
  }

  /** L_n, Σ idle milli. */
  public long idleTotal() {
    return idleTotal;
  }

  /** GPUs with nothing booked. */
  public int fullyIdle() {
    return FgdMath.fullyIdle(idle);
  }

  /** Distinct GPU tags of the pods on the node, in binding order. */
  public List<String> tags() {
    return tags;
  }

  /** The node's fragmentation F_n against the target workload, milli-GPU (§6.2). */
  public double frag() {
    if (Double.isNaN(fragBefore)) {
      fragBefore = frag.nodeFrag(host.cpuMilli(), idle, model);
    }
    return fragBefore;
  }

  /** All seven fragmentation buckets (§6.2), milli-GPU; for metrics. */
  public double[] fragBuckets() {
    return frag.buckets(host.cpuMilli(), idle, model);
  }

  /** UUID of GPU {@code j}. */
  public String uuid(int j) {
    return uuids[j];
  }

  int[] idleView() {
    return idle;
  }

  Fragmentation fragmentation() {
    return frag;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "FgdNodeState[%s model=%s cpuLeft=%d idle=%s tags=%s]",
        node,
        model,
        host.cpuMilli(),
        java.util.Arrays.toString(idle),
        tags);
  }
}
