package dev.tessera.engine.admission;

/**
 * What a whole pod needs at its peak, summed over its GPUs (hami-compat §9.3).
 *
 * @param memoryMiB device memory, MiB; percentage requests are not counted
 * @param cores compute, percent of one GPU
 */
public record PodGpuDemand(long memoryMiB, long cores) {
  public static final PodGpuDemand NONE = new PodGpuDemand(0, 0);
}
