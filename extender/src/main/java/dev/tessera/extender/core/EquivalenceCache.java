package dev.tessera.extender.core;

import dev.tessera.engine.fit.PodSelectors;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Node evaluations of recent pod shapes, reused while the node is unchanged: kube-scheduler's old
 * equivalence-class cache, made exact by the snapshot's copy-on-write.
 *
 * <p>A node's evaluation is a pure function of the pod's {@link Shape} and of the node's
 * registration and device usage. The snapshot replaces a node's usage list whenever a pod is
 * assumed on or forgotten from that node, and the node record whenever it re-registers, so an entry
 * is valid exactly while both are the same objects (the node may also be an equal copy, e.g. parsed
 * again from a Node object). Pods of one job share a shape, so after the first pod only the nodes
 * the previous pods landed on are evaluated again.
 *
 * <p>Bounded: at most {@link #MAX_SHAPES} shapes (least recently used dropped), and a shape's
 * entries are cleared when they outgrow the node names seen by far. Thread-safe; two requests
 * computing the same entry at once store equal results.
 */
final class EquivalenceCache {
  /** Shapes kept; a cluster's running jobs rarely have more distinct pod shapes in flight. */
  static final int MAX_SHAPES = 64;

  /** Entries per shape above which it is cleared (node names of deleted nodes pile up). */
  private static final int MAX_ENTRIES_PER_SHAPE = 100_000;

  /**
   * Everything about a pod that its node evaluations depend on.
   *
   * @param requests one request per container, init containers first
   * @param initCount leading init containers
   * @param selectors the pod's parsed placement annotations (device order included)
   * @param higherIsBetter the pod's node policy direction, which signs the preference
   * @param quota the namespace quota's limits and usage the evaluation was checked against; null
   *     when the namespace has no tracked limit (a changed usage is then another shape, so a result
   *     computed under the old usage is never reused)
   */
  record Shape(
      List<GpuRequest> requests,
      int initCount,
      PodSelectors selectors,
      boolean higherIsBetter,
      NamespaceQuota.Key quota) {}

  private record Entry(Node node, List<DeviceUsage> usage, NodeResult result) {}

  /**
   * Per-shape entries by node name. Entries are stored from the shape's second evaluation on: a
   * shape seen once (every pod different) would only pay for filling a map no one reads.
   */
  static final class Memo {
    private final Map<String, Entry> byNode = new ConcurrentHashMap<>();
    private final AtomicInteger uses = new AtomicInteger();

    /** Counts one more evaluation of this shape; entries are kept from the second one on. */
    void use() {
      if (uses.get() < 2) {
        uses.incrementAndGet();
      }
    }

    /** The cached result for {@code c}, or null when the node or its usage changed since. */
    NodeResult get(Candidate c) {
      Entry e = byNode.get(c.name());
      if (e == null || e.usage() != c.usage()) {
        return null;
      }
      return e.node() == c.node() || e.node().equals(c.node()) ? e.result() : null;
    }

    void put(Candidate c, NodeResult result) {
      if (uses.get() < 2) {
        return;
      }
      if (byNode.size() >= MAX_ENTRIES_PER_SHAPE) {
        byNode.clear();
      }
      byNode.put(c.name(), new Entry(c.node(), c.usage(), result));
    }

    int size() {
      return byNode.size();
    }
  }

  private final LinkedHashMap<Shape, Memo> shapes = new LinkedHashMap<>(16, 0.75f, true);

  /** The memo for {@code shape}, created empty when new; counts one use of the shape. */
  Memo forShape(Shape shape) {
    Memo m = lookup(shape);
    m.use();
    return m;
  }

  private synchronized Memo lookup(Shape shape) {
    Memo m = shapes.get(shape);
    if (m == null) {
      if (shapes.size() >= MAX_SHAPES) {
        var eldest = shapes.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
      m = new Memo();
      shapes.put(shape, m);
    }
    return m;
  }

  /** Shapes currently cached. */
  synchronized int shapes() {
    return shapes.size();
  }
}
