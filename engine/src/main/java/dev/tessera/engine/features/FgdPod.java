package dev.tessera.engine.features;

/**
 * The resource shape the FGD paper schedules on (policies.md §1): CPU milli, memory MiB, GPU count
 * k and milli per GPU m, plus an optional GPU-type spec.
 *
 * @param cpuMilli requested CPU, milli-cores (raw; see {@link #nonZeroCpu()})
 * @param memoryMib requested memory, MiB; used only by the filter
 * @param gpuCount k, number of GPUs (0 for CPU-only)
 * @param gpuMilli m, milli per GPU in [0,1000]; treated as 0 when k = 0
 * @param gpuSpec {@code |}-separated allowed GPU models; empty allows any model
 */
public record FgdPod(long cpuMilli, long memoryMib, int gpuCount, int gpuMilli, String gpuSpec) {
  /** Kubernetes' default CPU request that replaces 0 for scoring and fragmentation (§1). */
  public static final long DEFAULT_NON_ZERO_CPU_MILLI = 100;

  public FgdPod {
    if (cpuMilli < 0 || memoryMib < 0) {
      throw new IllegalArgumentException(
          "cpuMilli and memoryMib must be >= 0, got " + cpuMilli + ", " + memoryMib);
    }
    if (gpuCount < 0) {
      throw new IllegalArgumentException("gpuCount must be >= 0, got " + gpuCount);
    }
    if (gpuMilli < 0 || gpuMilli > 1000) {
      throw new IllegalArgumentException("gpuMilli must be in [0,1000], got " + gpuMilli);
    }
    if (gpuCount == 0) {
      gpuMilli = 0; // §1: CPU-only pods have m treated as 0
    }
    if (gpuCount > 1 && gpuMilli < 1000) {
      // §1: the Go code panics on this combination; it never occurs in the traces
      throw new IllegalArgumentException(
          "multi-GPU pods must ask for whole GPUs (k=" + gpuCount + ", m=" + gpuMilli + ")");
    }
    gpuSpec = gpuSpec == null ? "" : gpuSpec;
  }

  /** A pod without memory or spec, handy for fragmentation-only use. */
  public static FgdPod of(long cpuMilli, int gpuCount, int gpuMilli) {
    return new FgdPod(cpuMilli, 0, gpuCount, gpuMilli, "");
  }

  /** CPU used for scoring and fragmentation, milli: 0 becomes 100 (§1). */
  public long nonZeroCpu() {
    return cpuMilli == 0 ? DEFAULT_NON_ZERO_CPU_MILLI : cpuMilli;
  }

  /** True for CPU-only pods (k = 0 or m = 0). */
  public boolean isCpuOnly() {
    return gpuCount == 0 || gpuMilli == 0;
  }

  /** True for a pod sharing one GPU (k = 1, 0 < m < 1000). */
  public boolean isSharing() {
    return gpuCount == 1 && gpuMilli > 0 && gpuMilli < 1000;
  }

  /** GPU demand D = k·m, milli. */
  public long gpuDemand() {
    return isCpuOnly() ? 0 : (long) gpuCount * gpuMilli;
  }

  /** GpuClustering's tag (§1): {@code share}, {@code <k>-gpu}, or empty for CPU-only pods. */
  public String gpuTag() {
    if (isCpuOnly()) {
      return "";
    }
    return isSharing() ? "share" : gpuCount + "-gpu";
  }
}
