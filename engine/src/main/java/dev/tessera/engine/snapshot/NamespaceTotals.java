package dev.tessera.engine.snapshot;

import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.engine.usage.CollapsedDevice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Persistent map from namespace to {@link NamespaceUsage}: {@link #plus} returns a new map and
 * leaves this one unchanged, copying only the shard of the namespace it touches, so keeping the
 * totals costs an assume or forget a handful of entries.
 */
final class NamespaceTotals {
  private static final int SHARDS = 64;

  static final NamespaceTotals EMPTY = new NamespaceTotals(emptyShards());

  /** Per shard an unmodified-after-construction map, or {@code null} when empty. */
  private final Map<String, NamespaceUsage>[] shards;

  private NamespaceTotals(Map<String, NamespaceUsage>[] shards) {
    this.shards = shards;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, NamespaceUsage>[] emptyShards() {
    return new Map[SHARDS];
  }

  /** The totals of {@code pods}, built in one pass. */
  static NamespaceTotals of(List<CachedPod> pods) {
    var totals = new HashMap<String, NamespaceUsage>();
    for (CachedPod p : pods) {
      long[] t = booked(p);
      if (t[0] != 0 || t[1] != 0) {
        totals.merge(
            namespaceOf(p.key()),
            new NamespaceUsage(t[0], t[1]),
            (a, b) -> a.plus(b.memMiB(), b.cores()));
      }
    }
    Map<String, NamespaceUsage>[] shards = emptyShards();
    totals.forEach(
        (ns, u) -> {
          int s = shard(ns);
          if (shards[s] == null) {
            shards[s] = new HashMap<>();
          }
          shards[s].put(ns, u);
        });
    return new NamespaceTotals(shards);
  }

  NamespaceUsage get(String namespace) {
    Map<String, NamespaceUsage> m = shards[shard(namespace)];
    NamespaceUsage u = m == null ? null : m.get(namespace);
    return u == null ? NamespaceUsage.NONE : u;
  }

  /** The totals with {@code pod}'s booking added ({@code sign} 1) or removed (-1). */
  NamespaceTotals plus(CachedPod pod, int sign) {
    long[] t = booked(pod);
    if (t[0] == 0 && t[1] == 0) {
      return this;
    }
    String ns = namespaceOf(pod.key());
    int s = shard(ns);
    Map<String, NamespaceUsage> old = shards[s];
    Map<String, NamespaceUsage> copy = old == null ? new HashMap<>(4) : new HashMap<>(old);
    NamespaceUsage next = copy.getOrDefault(ns, NamespaceUsage.NONE).plus(sign * t[0], sign * t[1]);
    if (next.memMiB() == 0 && next.cores() == 0) {
      copy.remove(ns);
    } else {
      copy.put(ns, next);
    }
    Map<String, NamespaceUsage>[] shardsCopy = shards.clone();
    shardsCopy[s] = copy.isEmpty() ? null : copy;
    return new NamespaceTotals(shardsCopy);
  }

  /** The namespace of a {@code namespace/name} pod key; empty when the key has no namespace. */
  static String namespaceOf(String podKey) {
    int slash = podKey.indexOf('/');
    return slash < 0 ? "" : podKey.substring(0, slash);
  }

  /** Memory and cores {@code pod} books on NVIDIA GPUs, as the node usage books it. */
  private static long[] booked(CachedPod pod) {
    long mem = 0;
    long cores = 0;
    List<CollapsedDevice> devices = pod.usage().get(GpuRequest.NVIDIA);
    if (devices != null) {
      for (CollapsedDevice d : devices) {
        mem += d.usedMemMiB();
        cores += d.usedCores();
      }
    }
    return new long[] {mem, cores};
  }

  private static int shard(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (SHARDS - 1);
  }
}
