package dev.tessera.extender.core;

import java.util.ArrayList;
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

  /** Filter's results in candidate order, and a by-name index built only when needed. */
  private static final class Entry {
    final long at;
    final List<NodeResult> results;
    private volatile Map<String, NodeResult> byNode;

    Entry(long at, List<NodeResult> results) {
      this.at = at;
      this.results = results;
    }

    Map<String, NodeResult> byNode() {
      Map<String, NodeResult> m = byNode;
      if (m == null) {
        m = new HashMap<>(results.size() * 2);
        for (NodeResult r : results) {
          m.put(r.node(), r);
        }
        byNode = m;
      }
      return m;
    }
  }

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
    entries.put(pod, new Entry(System.nanoTime(), results));
  }

  /** The results for {@code nodes} (same order) if filter evaluated all of them recently. */
  Optional<List<NodeResult>> get(String pod, List<String> nodes) {
    Entry e = entries.get(pod);
    if (e == null || System.nanoTime() - e.at > ttlNanos) {
      return Optional.empty();
    }
    // kube-scheduler sends the nodes that passed, in filter's order: match them in one pass and
    // fall back to a name index only when the order differs.
    var out = new ArrayList<NodeResult>(nodes.size());
    int j = 0;
    for (String n : nodes) {
      while (j < e.results.size() && !e.results.get(j).node().equals(n)) {
        j++;
      }
      if (j == e.results.size()) {
        return byName(e, nodes);
      }
      out.add(e.results.get(j++));
    }
    return Optional.of(out);
  }

  private static Optional<List<NodeResult>> byName(Entry e, List<String> nodes) {
    Map<String, NodeResult> index = e.byNode();
    var out = new ArrayList<NodeResult>(nodes.size());
    for (String n : nodes) {
      NodeResult r = index.get(n);
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
