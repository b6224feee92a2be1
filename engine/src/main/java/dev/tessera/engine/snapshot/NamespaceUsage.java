package dev.tessera.engine.snapshot;

/**
 * The GPU share a namespace's placed pods hold over all NVIDIA GPUs of a snapshot, counted as the
 * snapshot books them (collapsed per GPU, hami-compat §7.10): what ResourceQuota usage is (§9.1).
 *
 * @param memMiB device memory in MiB
 * @param cores device cores in percent of a GPU
 */
public record NamespaceUsage(long memMiB, long cores) {
  /** No pods. */
  public static final NamespaceUsage NONE = new NamespaceUsage(0, 0);

  NamespaceUsage plus(long mem, long c) {
    return new NamespaceUsage(memMiB + mem, cores + c);
  }
}
