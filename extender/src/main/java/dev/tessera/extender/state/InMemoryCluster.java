package dev.tessera.extender.state;

import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.wire.KubePod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster held in memory: a fixed set of nodes and a pod store that plays the API server's part
 * for {@link Binder} (annotations are merged, bindings set {@code spec.nodeName}). Serves {@code
 * tessera extender --snapshot DIR} and the tests. Thread-safe.
 */
public final class InMemoryCluster implements ClusterState, Binder {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryCluster.class);

  private final AtomicReference<ClusterSnapshot> snapshot;
  private final Map<String, KubePod> pods = new ConcurrentHashMap<>();
  private final QuotaLimits quotas = new QuotaLimits();

  private InMemoryCluster(ClusterSnapshot snapshot, Collection<KubePod> pods) {
    this.snapshot = new AtomicReference<>(snapshot);
    for (KubePod p : pods) {
      this.pods.put(p.key(), p);
    }
  }

  /**
   * A cluster of {@code nodes} with {@code placements} booked, plus {@code pods}: those carrying a
   * HAMi allocation on a known node are booked too. A pod whose allocation annotation does not
   * decode, or names an unknown node, is kept (bind can still find it) but not booked, and the
   * reason is logged.
   */
  public static InMemoryCluster of(
      List<Node> nodes, List<Placement> placements, Collection<KubePod> pods) {
    var names = new HashSet<String>();
    nodes.forEach(n -> names.add(n.name()));
    var booked = new ArrayList<>(placements);
    var keys = new HashSet<String>();
    placements.forEach(p -> keys.add(p.podKey()));
    for (KubePod p : pods) {
      if (p.terminated()) {
        continue;
      }
      try {
        Optional<Placement> placed = p.placement();
        if (placed.isEmpty()) {
          continue;
        }
        if (!names.contains(placed.get().node())) {
          LOG.warn(
              "pod {}: allocation on unknown node {} not booked", p.key(), placed.get().node());
        } else if (keys.add(p.key())) {
          booked.add(placed.get());
        }
      } catch (AnnotationDecodeException e) {
        LOG.warn("pod {}: allocation not booked: {}", p.key(), e.getMessage());
      }
    }
    return new InMemoryCluster(ClusterSnapshot.of(nodes, booked), pods);
  }

  /** A cluster serving {@code snapshot} as is, with no pods known yet (benchmarks, tests). */
  public static InMemoryCluster serving(ClusterSnapshot snapshot) {
    return new InMemoryCluster(snapshot, List.of());
  }

  @Override
  public ClusterSnapshot snapshot() {
    return snapshot.get();
  }

  @Override
  public ClusterSnapshot update(UnaryOperator<ClusterSnapshot> change) {
    return snapshot.updateAndGet(change);
  }

  /** The ResourceQuotas this cluster has; tests and the snapshot directory feed them. */
  @Override
  public QuotaLimits quotas() {
    return quotas;
  }

  @Override
  public Optional<KubePod> pod(String namespace, String name) {
    return Optional.ofNullable(pods.get(namespace + "/" + name));
  }

  /**
   * Records pods seen in scheduler requests. An existing pod keeps what was written to it, unless
   * the request carries a different UID (the pod was deleted and re-created under the same name).
   */
  @Override
  public void observe(KubePod pod) {
    pods.merge(
        pod.key(),
        pod,
        (old, seen) -> !seen.uid().isEmpty() && !seen.uid().equals(old.uid()) ? seen : old);
  }

  /** Every pod, as written so far (tests recompute usage from their annotations). */
  public List<KubePod> pods() {
    return List.copyOf(pods.values());
  }

  @Override
  public void annotate(KubePod pod, Map<String, String> annotations, Map<String, String> labels) {
    if (pods.computeIfPresent(pod.key(), (k, p) -> p.withMetadata(annotations, labels)) == null) {
      throw new BindException("pod " + pod.key() + " not found");
    }
  }

  @Override
  public void bind(KubePod pod, String node) {
    var conflict = new String[1];
    KubePod after =
        pods.computeIfPresent(
            pod.key(),
            (k, p) -> {
              if (!p.nodeName().isEmpty() && !p.nodeName().equals(node)) {
                conflict[0] = p.nodeName();
                return p;
              }
              return p.boundTo(node);
            });
    if (after == null) {
      throw new BindException("pod " + pod.key() + " not found");
    }
    if (conflict[0] != null) {
      throw new BindException(
          "pod " + pod.key() + " is already bound to node " + conflict[0] + ", not " + node);
    }
  }
}
