package dev.tessera.engine.snapshot;

import java.util.HashMap;
import java.util.Map;

/**
 * Persistent map from pod key to node name: {@link #with} and {@link #without} return new indexes
 * and leave this one unchanged. The keys are split over a fixed number of shards by hash and an
 * update copies only the shard it touches, so booking one pod in a snapshot with thousands of pods
 * costs a few dozen entries instead of the whole map.
 */
final class PodIndex {
  /** Shards; a power of two so the shard is a mask of the spread hash. */
  private static final int SHARDS = 256;

  static final PodIndex EMPTY = of(Map.of());

  /** Per shard an unmodified-after-construction map, or {@code null} when empty. */
  private final Map<String, String>[] shards;

  private final int size;

  private PodIndex(Map<String, String>[] shards, int size) {
    this.shards = shards;
    this.size = size;
  }

  /** An index of every entry of {@code podNode}. */
  @SuppressWarnings("unchecked")
  static PodIndex of(Map<String, String> podNode) {
    Map<String, String>[] shards = new Map[SHARDS];
    for (var e : podNode.entrySet()) {
      int s = shard(e.getKey());
      if (shards[s] == null) {
        shards[s] = new HashMap<>();
      }
      shards[s].put(e.getKey(), e.getValue());
    }
    return new PodIndex(shards, podNode.size());
  }

  String get(String podKey) {
    Map<String, String> m = shards[shard(podKey)];
    return m == null ? null : m.get(podKey);
  }

  int size() {
    return size;
  }

  /** The index with {@code podKey} on {@code node}; the caller checked that it is absent. */
  PodIndex with(String podKey, String node) {
    int s = shard(podKey);
    Map<String, String> old = shards[s];
    Map<String, String> copy = old == null ? new HashMap<>(4) : new HashMap<>(old);
    copy.put(podKey, node);
    Map<String, String>[] next = shards.clone();
    next[s] = copy;
    return new PodIndex(next, size + 1);
  }

  /** The index without {@code podKey}; the caller checked that it is present. */
  PodIndex without(String podKey) {
    int s = shard(podKey);
    Map<String, String> copy = new HashMap<>(shards[s]);
    copy.remove(podKey);
    Map<String, String>[] next = shards.clone();
    next[s] = copy.isEmpty() ? null : copy;
    return new PodIndex(next, size - 1);
  }

  private static int shard(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16) ^ (h >>> 8)) & (SHARDS - 1);
  }
}
