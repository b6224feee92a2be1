package dev.tessera.sim.trace;

/**
 * One pod of a Tessera-native trace (docs/trace-format.md) with a HAMi-style GPU request: {@code
 * gpuCount} GPUs ({@code nvidia.com/gpu}), each with {@code gpuMemoryMiB} ({@code
 * nvidia.com/gpumem}) or {@code gpuMemoryPercent} ({@code nvidia.com/gpumem-percentage}) and {@code
 * gpuCores} ({@code nvidia.com/gpucores}).
 *
 * @param name pod name, unique in the trace
 * @param cpuMilli CPU request, millicores
 * @param memoryMiB host memory request, MiB
 * @param gpuCount GPUs asked for; 0 for a CPU-only pod
 * @param gpuMemoryMiB device memory per GPU, MiB; 0 when not given in MiB
 * @param gpuMemoryPercent device memory per GPU in percent of the GPU (1..100); 0 when not given
 * @param gpuCores compute per GPU, percent of one GPU (1..100); 0 when not given
 * @param gpuType allowed GPU models ({@code nvidia.com/use-gputype}, comma-separated); {@code ""}
 *     allows any
 * @param createdAt arrival time, seconds from the trace start
 * @param deletedAt departure time in seconds, or a negative value when the pod never leaves
 */
public record TracePod(
    String name,
    long cpuMilli,
    long memoryMiB,
    int gpuCount,
    int gpuMemoryMiB,
    int gpuMemoryPercent,
    int gpuCores,
    String gpuType,
    double createdAt,
    double deletedAt) {
  public TracePod {
    gpuType = gpuType == null ? "" : gpuType;
  }

  /**
   * The pod's nominal share of each GPU in milli-GPU (1000 = whole), the unit of the FGD metrics
   * and of tuning: ten times the larger of the cores percent and the memory percent (HAMi books
   * both; whichever is larger runs out first), else ten times the cores percent when memory is in
   * MiB, else a whole GPU; 0 for CPU-only pods. The simulator's FGD view measures a MiB request on
   * each node's own GPUs ({@code policies.facts.FgdShares}).
   */
  public int gpuMilli() {
    if (gpuCount == 0) {
      return 0;
    }
    int pct = Math.max(gpuCores, gpuMemoryPercent);
    return pct > 0 ? 10 * pct : 1000;
  }

  /** GPU demand of the pod, milli-GPU: count × share. */
  public long gpuDemandMilli() {
    return (long) gpuCount * gpuMilli();
  }
}
