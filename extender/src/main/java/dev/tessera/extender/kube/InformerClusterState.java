package dev.tessera.extender.kube;

import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterState} fed by client-java informers on nodes and pods. Nodes come from {@code
 * hami.io/node-nvidia-register} (and the score and cordon annotations), placements from pods'
 * {@code hami.io/vgpu-node} and {@code hami.io/vgpu-devices-allocated}, all decoded by the
 * engine's codecs.
 *
 * <p>Pod events update the snapshot incrementally ({@link ClusterSnapshot#assume}/{@link
 * ClusterSnapshot#forget}, a per-node copy); node events that change a node's devices, labels or
 * capacity mark it for one rebuild on the next read, so a burst of node events (the initial list)
 * costs one rebuild. A node or pod whose annotations do not decode is left out with a logged reason
 * and counted; the rest keeps being served. As HAMi does (§3.3), a node whose register annotation
 * stops decoding keeps its last good devices.
 *
 * <p>Assumed placements live until the informer shows the pod's allocation (confirmed), the bind
 * fails ({@link #forget}), or {@code assumeTimeout} passes without either (expired on the next
 * read).
 */
public final class InformerClusterState implements ClusterState, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InformerClusterState.class);

  private record Assumed(Placement placement, Instant expires) {}

  private final Clock clock;
  private final Duration assumeTimeout;
  private final SharedInformerFactory factory;
  private final SharedIndexInformer<V1Node> nodeInformer;
  private final SharedIndexInformer<V1Pod> podInformer;

  private final Object lock = new Object();
  // Guarded by lock.
  private final TreeMap<String, Node> nodes = new TreeMap<>();
  private final Map<String, String> skippedNodes = new HashMap<>();
  private final Map<String, String> skippedPods = new HashMap<>();
  private final Map<String, Placement> observed = new HashMap<>();
  private final Map<String, Assumed> assumed = new HashMap<>();

  private volatile ClusterSnapshot current = ClusterSnapshot.of(List.of(), List.of());
  private volatile boolean dirty;
  private volatile boolean primed;
  private volatile Instant nextExpiry = Instant.MAX;

  private final AtomicLong malformedNodes = new AtomicLong();
  private final AtomicLong malformedPods = new AtomicLong();
  private final AtomicLong expiredAssumptions = new AtomicLong();
  private final AtomicLong rebuilds = new AtomicLong();

  /**
   * Informers on {@code client} (not started yet: call {@link #start}).
   *
   * @param assumeTimeout how long an assumed placement is kept without the API server showing it
   */
  public InformerClusterState(ApiClient client, Clock clock, Duration assumeTimeout) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.assumeTimeout = Objects.requireNonNull(assumeTimeout, "assumeTimeout");
    this.factory = new SharedInformerFactory(client);
    this.nodeInformer =
        factory.sharedIndexInformerFor(
            new GenericKubernetesApi<>(V1Node.class, V1NodeList.class, "", "v1", "nodes", client),
            V1Node.class,
            0);
    this.podInformer =
        factory.sharedIndexInformerFor(
            new GenericKubernetesApi<>(V1Pod.class, V1PodList.class, "", "v1", "pods", client),
            V1Pod.class,
            0);
    nodeInformer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(V1Node n) {
            nodeChanged(n);
          }

          @Override
          public void onUpdate(V1Node old, V1Node n) {
            nodeChanged(n);
          }

          @Override
          public void onDelete(V1Node n, boolean finalStateUnknown) {
            nodeDeleted(n.getMetadata().getName());
          }
        });
    podInformer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(V1Pod p) {
            podChanged(p);
          }

          @Override
          public void onUpdate(V1Pod old, V1Pod p) {
            podChanged(p);
          }

          @Override
          public void onDelete(V1Pod p, boolean finalStateUnknown) {
            podDeleted(HamiObjects.podKey(p));
          }
        });
  }

  /** Starts the informers (list, then watch) in the background. */
  public void start() {
    factory.startAllRegisteredInformers();
  }

  /**
   * Waits until the first list of nodes and pods has been applied.
   *
   * @throws TimeoutException when that takes longer than {@code timeout}
   */
  public void awaitSynced(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!synced()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "node and pod informers not synced after " + timeout.toSeconds() + " s");
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  @Override
  public void close() {
    factory.stopAllRegisteredInformers();
  }

  @Override
  public boolean synced() {
    if (primed) {
      return true;
    }
    if (!nodeInformer.hasSynced() || !podInformer.hasSynced()) {
      return false;
    }
    // The informers deliver events to handlers on their own threads, so "synced" alone does not
    // mean the handlers have seen the list. Replaying the caches is safe: handlers are idempotent.
    synchronized (lock) {
      if (!primed) {
        nodeInformer.getIndexer().list().forEach(this::nodeChanged);
        podInformer.getIndexer().list().forEach(this::podChanged);
        primed = true;
      }
    }
    return true;
  }

  @Override
  public ClusterSnapshot snapshot() {
    if (!clock.instant().isBefore(nextExpiry)) {
      expireAssumed();
    }
    if (dirty) {
      synchronized (lock) {
        if (dirty) {
          rebuild();
        }
      }
    }
    return current;
  }

  @Override
  public Optional<V1Pod> pod(String namespace, String name) {
    return Optional.ofNullable(podInformer.getIndexer().getByKey(namespace + "/" + name));
  }

  @Override
  public void assume(Placement placement) {
    synchronized (lock) {
      String key = placement.podKey();
      Placement seen = observed.get(key);
      if (seen != null) {
        if (sameBooking(seen, placement)) {
          return;
        }
        throw new IllegalStateException(
            "pod " + key + " is already placed on " + seen.node() + " by the API server");
      }
      if (!nodes.containsKey(placement.node())) {
        throw new IllegalArgumentException(
            "node " + placement.node() + " is not a registered GPU node");
      }
      Assumed before = assumed.get(key);
      if (before != null && sameBooking(before.placement(), placement)) {
        return;
      }
      Instant expires = clock.instant().plus(assumeTimeout);
      assumed.put(key, new Assumed(placement, expires));
      if (expires.isBefore(nextExpiry)) {
        nextExpiry = expires;
      }
      rebook(key, Optional.of(placement));
    }
  }

  @Override
  public void forget(String podKey) {
    synchronized (lock) {
      if (assumed.remove(podKey) != null && !observed.containsKey(podKey)) {
        rebook(podKey, Optional.empty());
      }
    }
  }

  /** Drops assumed placements older than the timeout; called on reads, public for tests. */
  public void expireAssumed() {
    synchronized (lock) {
      Instant now = clock.instant();
      Instant next = Instant.MAX;
      for (var it = assumed.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (!now.isBefore(e.getValue().expires())) {
          it.remove();
          expiredAssumptions.incrementAndGet();
          LOG.warn(
              "assumed placement of {} on {} expired after {} s without the API server showing it",
              e.getKey(),
              e.getValue().placement().node(),
              assumeTimeout.toSeconds());
          if (!observed.containsKey(e.getKey())) {
            rebook(e.getKey(), Optional.empty());
          }
        } else if (e.getValue().expires().isBefore(next)) {
          next = e.getValue().expires();
        }
      }
      nextExpiry = next;
    }
  }

  /** Nodes and pods left out now, with why (node name or pod key to the decode error). */
  public Map<String, String> skipped() {
    synchronized (lock) {
      var out = new TreeMap<String, String>();
      skippedNodes.forEach((k, v) -> out.put("node " + k, v));
      skippedPods.forEach((k, v) -> out.put("pod " + k, v));
      return out;
    }
  }

  /** Annotation decode failures seen on nodes since start (a counter for metrics). */
  public long malformedNodes() {
    return malformedNodes.get();
  }

  /** Annotation decode failures seen on pods since start (a counter for metrics). */
  public long malformedPods() {
    return malformedPods.get();
  }

  /** Assumed placements dropped because the API server never showed them. */
  public long expiredAssumptions() {
    return expiredAssumptions.get();
  }

  /** Placements assumed and not yet seen from the API server. */
  public int pendingAssumptions() {
    synchronized (lock) {
      return assumed.size();
    }
  }

  /** Whole-snapshot rebuilds so far (node changes); pod changes are applied incrementally. */
  public long rebuilds() {
    return rebuilds.get();
  }

  // ---- events ----

  private void nodeChanged(V1Node n) {
    String name = n.getMetadata().getName();
    if (!HamiObjects.registered(n)) {
      nodeDeleted(name);
      return;
    }
    Node decoded;
    try {
      decoded = HamiObjects.node(n);
    } catch (AnnotationDecodeException e) {
      malformedNodes.incrementAndGet();
      synchronized (lock) {
        boolean kept = nodes.containsKey(name);
        skippedNodes.put(name, e.getMessage());
        LOG.warn(
            "node {}: {}; {}",
            name,
            e.getMessage(),
            kept ? "keeping its last good devices" : "node left out");
      }
      return;
    }
    synchronized (lock) {
      skippedNodes.remove(name);
      Node before = nodes.put(name, decoded);
      if (!decoded.equals(before)) {
        dirty = true;
      }
    }
  }

  private void nodeDeleted(String name) {
    synchronized (lock) {
      skippedNodes.remove(name);
      if (nodes.remove(name) != null) {
        dirty = true;
      }
    }
  }

  private void podChanged(V1Pod p) {
    String key = HamiObjects.podKey(p);
    Optional<Placement> placement;
    try {
      placement = HamiObjects.placement(p);
    } catch (AnnotationDecodeException e) {
      malformedPods.incrementAndGet();
      LOG.warn("pod {}: {}; its devices are not counted", key, e.getMessage());
      synchronized (lock) {
        skippedPods.put(key, e.getMessage());
        Placement before = observed.remove(key);
        if (before != null && !assumed.containsKey(key)) {
          rebook(key, Optional.empty());
        }
      }
      return;
    }
    synchronized (lock) {
      skippedPods.remove(key);
      Placement before = effective(key);
      if (placement.isPresent()) {
        observed.put(key, placement.get());
        // Seen from the API server: the assumption is confirmed (or superseded).
        assumed.remove(key);
      } else {
        observed.remove(key);
      }
      Placement after = effective(key);
      if (!Objects.equals(before, after)
          && (before == null || after == null || !sameBooking(before, after))) {
        rebook(key, Optional.ofNullable(after));
      }
    }
  }

  private void podDeleted(String key) {
    synchronized (lock) {
      skippedPods.remove(key);
      boolean had = observed.remove(key) != null | assumed.remove(key) != null;
      if (had) {
        rebook(key, Optional.empty());
      }
    }
  }

  // ---- snapshot maintenance (lock held) ----

  private Placement effective(String key) {
    Placement p = observed.get(key);
    if (p != null) {
      return p;
    }
    Assumed a = assumed.get(key);
    return a == null ? null : a.placement();
  }

  /** Moves {@code key}'s booking in the snapshot to {@code placement} (or removes it). */
  private void rebook(String key, Optional<Placement> placement) {
    if (dirty) {
      return; // the pending rebuild reads the maps
    }
    ClusterSnapshot s = current.forget(key);
    if (placement.isPresent() && s.node(placement.get().node()).isPresent()) {
      s = s.assume(placement.get());
    }
    current = s;
  }

  private void rebuild() {
    var running = new ArrayList<Placement>();
    var keys = new java.util.HashSet<String>(observed.keySet());
    keys.addAll(assumed.keySet());
    for (String key : keys) {
      Placement p = effective(key);
      // Pods on nodes not (yet) registered wait in the maps until the node shows up.
      if (nodes.containsKey(p.node())) {
        running.add(p);
      }
    }
    current = ClusterSnapshot.of(new ArrayList<>(nodes.values()), running);
    dirty = false;
    rebuilds.incrementAndGet();
  }

  private static boolean sameBooking(Placement a, Placement b) {
    return a.node().equals(b.node())
        && a.initContainerCount() == b.initContainerCount()
        && a.containers().equals(b.containers());
  }
}
