package dev.tessera.engine.features;

import java.util.Arrays;

/**
 * An immutable snapshot of one node as the FGD simulator sees it (policies.md §1): CPU milli left,
 * memory MiB left, idle milli of each GPU in device order, and the GPU model.
 *
 * @param cpuMilliLeft c_n, CPU milli not requested by bound pods
 * @param memoryMibLeft memory MiB not requested by bound pods
 * @param gpuMilliLeft I_j per GPU in index order, each in [0,1000]; defensively copied
 * @param model GPU model label (empty when the node has none)
 */
public record FgdNode(long cpuMilliLeft, long memoryMibLeft, int[] gpuMilliLeft, String model) {
  public FgdNode {
    gpuMilliLeft = gpuMilliLeft.clone();
    for (int i : gpuMilliLeft) {
      if (i < 0 || i > 1000) {
        throw new IllegalArgumentException(
            "GPU idle milli must be in [0,1000], got " + Arrays.toString(gpuMilliLeft));
      }
    }
    model = model == null ? "" : model;
  }

  /** An empty node with {@code gpus} fully idle GPUs. */
  public static FgdNode empty(long cpuMilli, long memoryMib, int gpus, String model) {
    int[] idle = new int[gpus];
    Arrays.fill(idle, 1000);
    return new FgdNode(cpuMilli, memoryMib, idle, model);
  }

  @Override
  public int[] gpuMilliLeft() {
    return gpuMilliLeft.clone();
  }

  /** Number of GPUs G. */
  public int gpuCount() {
    return gpuMilliLeft.length;
  }

  /** Idle milli of GPU {@code j}. */
  public int idle(int j) {
    return gpuMilliLeft[j];
  }

  /** L_n = Σ I_j, milli. */
  public long idleTotal() {
    return FgdMath.idleSum(gpuMilliLeft);
  }

  /** A node after binding {@code pod} onto the GPUs {@code gpus} (indices; empty for CPU-only). */
  public FgdNode bind(FgdPod pod, int[] gpus) {
    int[] next = gpuMilliLeft.clone();
    for (int j : gpus) {
      next[j] -= pod.gpuMilli();
    }
    return new FgdNode(cpuMilliLeft - pod.cpuMilli(), memoryMibLeft - pod.memoryMib(), next, model);
  }

  /** Direct view of the idle array for package code that promises not to mutate it. */
  int[] idleView() {
    return gpuMilliLeft;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FgdNode other
        && cpuMilliLeft == other.cpuMilliLeft
        && memoryMibLeft == other.memoryMibLeft
        && Arrays.equals(gpuMilliLeft, other.gpuMilliLeft)
        && model.equals(other.model);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(cpuMilliLeft) * 31
        + Long.hashCode(memoryMibLeft) * 17
        + Arrays.hashCode(gpuMilliLeft)
        + model.hashCode();
  }

  @Override
  public String toString() {
    return "FgdNode[cpu="
        + cpuMilliLeft
        + ", mem="
        + memoryMibLeft
        + ", gpus="
        + Arrays.toString(gpuMilliLeft)
        + ", model="
        + model
        + "]";
  }
}
