package dev.tessera.extender.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Filter's evaluation of each pod, kept briefly so prioritize (which kube-scheduler calls right
 * after filter, with the nodes that passed) does not evaluate every node again. Prioritize only
 * expresses a preference; safety is decided again in bind against the current snapshot, so scores a
 * few milliseconds old are good enough. Entries expire after {@code ttlNanos} and are bounded in
 * number.
 */
final class RecentEvaluations {
  /** Entries kept at most; beyond it the map is cleared (cycles are short-lived anyway). */
  private static final int MAX_ENTRIES = 4096;

  private record Entry(long at, Map<String, NodeResult> byNode) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;

  RecentEvaluations(long ttlNanos) {
    this.ttlNanos = ttlNanos;
  }

  void put(String pod, List<NodeResult> results) {
    if (ttlNanos <= 0) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    var byNode = new HashMap<String, NodeResult>(results.size() * 2);
    for (NodeResult r : results) {
      byNode.put(r.node(), r);
    }
    entries.put(pod, new Entry(System.nanoTime(), byNode));
  }

  /** The results for {@code nodes} (same order) if filter evaluated all of them recently. */
  Optional<List<NodeResult>> get(String pod, List<String> nodes) {
    Entry e = entries.get(pod);
    if (e == null || System.nanoTime() - e.at() > ttlNanos) {
      return Optional.empty();
    }
    var out = new java.util.ArrayList<NodeResult>(nodes.size());
    for (String n : nodes) {
      NodeResult r = e.byNode().get(n);
      if (r == null) {
        return Optional.empty();
      }
      out.add(r);
    }
    return Optional.of(out);
  }

  void remove(String pod) {
    entries.remove(pod);
  }
}
