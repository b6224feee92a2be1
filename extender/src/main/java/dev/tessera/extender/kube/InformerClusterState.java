package dev.tessera.extender.kube;

import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.BindPhase;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.state.ClusterState;
import dev.tessera.extender.state.QuotaLimits;
import dev.tessera.extender.wire.KubeNode;
import dev.tessera.extender.wire.KubePod;
import dev.tessera.extender.wire.WireException;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
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
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterState} that follows the API server with client-java informers on nodes, pods and
 * ResourceQuotas (the quotas' {@code spec.hard} go to {@link #quotas}; usage is the snapshot's).
 * Nodes are read by {@link KubeNode#parse} (register, score, cordon and handshake annotations),
 * pods by {@link KubePod#placement} ({@code hami.io/vgpu-node} and {@code
 * hami.io/vgpu-devices-allocated}); all decoding is the engine's codecs.
 *
 * <p>Pod events change the snapshot incrementally ({@link ClusterSnapshot#forget}/{@link
 * ClusterSnapshot#assume}: one node copied). Node events that change a node's devices, labels or
 * capacity mark the snapshot for one rebuild on the next read, so the initial list of a thousand
 * nodes costs one rebuild, not a thousand. A node or pod whose annotations do not decode is left
 * out with a logged reason and counted, and the rest keeps being served; as in HAMi (§3.3) a node
 * whose register annotation stops decoding keeps its last good devices.
 *
 * <p>Placements the extender assumed through {@link #update} stay in the snapshot across rebuilds
 * until the API server shows the pod (its annotations then replace the assumption) or the extender
 * forgets them ({@code Reservations}). A pod counts while it has an allocation and is neither
 * Succeeded/Failed (§7.10) nor marked {@code hami.io/bind-phase=failed} (its booking was released).
 */
public final class InformerClusterState implements ClusterState, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InformerClusterState.class);

  private final Clock clock;
  private final String gpuResource;
  private final KubeJson json;
  private final SharedInformerFactory factory;
  private final SharedIndexInformer<V1Node> nodeInformer;
  private final SharedIndexInformer<V1Pod> podInformer;
  private final SharedIndexInformer<V1ResourceQuota> quotaInformer;
  private final QuotaLimits quotas = new QuotaLimits();

  private final Object lock = new Object();
  // Guarded by lock.
  private final TreeMap<String, Node> nodes = new TreeMap<>();
  private final Map<String, String> skippedNodes = new HashMap<>();
  private final Map<String, String> skippedPods = new HashMap<>();
  private final Map<String, Placement> observed = new HashMap<>();
  private final java.util.Set<String> unhealthy = new java.util.HashSet<>();

  // Written under lock; read without it.
  private volatile ClusterSnapshot current = ClusterSnapshot.of(List.of(), List.of());
  private volatile boolean dirty;
  private volatile boolean primed;

  private final AtomicLong malformedNodes = new AtomicLong();
  private final AtomicLong malformedPods = new AtomicLong();
  private final AtomicLong rebuilds = new AtomicLong();

  /**
   * Informers on {@code client}; call {@link #start}. The client's read timeout must be off (or
   * longer than a watch) for watches to stay open.
   *
   * @param gpuResource the count resource ({@code nvidia.com/gpu}) read for the handshake check
   * @param clock now, and the zone handshake stamps are read in
   */
  public InformerClusterState(ApiClient client, String gpuResource, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.gpuResource = Objects.requireNonNull(gpuResource, "gpuResource");
    this.json = new KubeJson(client.getJSON());
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
    this.quotaInformer =
        factory.sharedIndexInformerFor(
            new GenericKubernetesApi<>(
                V1ResourceQuota.class,
                V1ResourceQuotaList.class,
                "",
                "v1",
                "resourcequotas",
                client),
            V1ResourceQuota.class,
            0);
    quotaInformer.addEventHandler(
        upsertOrDelete(
            this::quotaChanged,
            q -> quotas.remove(q.getMetadata().getNamespace(), q.getMetadata().getName())));
    nodeInformer.addEventHandler(
        upsertOrDelete(this::nodeChanged, n -> nodeDeleted(n.getMetadata().getName())));
    podInformer.addEventHandler(upsertOrDelete(this::podChanged, p -> podDeleted(podKey(p))));
  }

  /**
   * An informer handler for state kept by object: adds and updates both mean "this is the object
   * now" (the old version does not matter), deletes remove it.
   */
  private static <T extends KubernetesObject> ResourceEventHandler<T> upsertOrDelete(
      Consumer<T> upsert, Consumer<T> delete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        upsert.accept(obj);
      }

      @Override
      public void onUpdate(T old, T obj) {
        upsert.accept(obj);
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        delete.accept(obj);
      }
    };
  }

  private static String podKey(V1Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  /**
   * Feeds {@code gate} every pod add, change and delete the pod informer sees; call before {@link
   * #start} so that the first list reaches it too. Pods that do not decode are left out.
   */
  public void attach(AllocationGate gate) {
    Objects.requireNonNull(gate, "gate");
    podInformer.addEventHandler(
        upsertOrDelete(
            p -> {
              try {
                gate.podChanged(KubePod.fromJson(json.tree(p)));
              } catch (WireException e) {
                // podChanged above logs and counts it; a pod the gate cannot read blocks nothing.
              }
            },
            p -> gate.podDeleted(podKey(p))));
  }

  /** Starts the informers (list, then watch) in the background. */
  public void start() {
    factory.startAllRegisteredInformers();
  }

  /**
   * Waits until the first list of nodes and pods is in the snapshot.
   *
   * @throws TimeoutException when that takes longer than {@code timeout}
   */
  public void awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "node, pod and ResourceQuota informers not synced after " + timeout.toSeconds() + " s");
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** Stops the informers and their watches. */
  @Override
  public void close() {
    factory.stopAllRegisteredInformers();
  }

  @Override
  public boolean ready() {
    if (primed) {
      return true;
    }
    if (!nodeInformer.hasSynced() || !podInformer.hasSynced() || !quotaInformer.hasSynced()) {
      return false;
    }
    // Informers hand events to handlers on their own threads, so "synced" alone does not mean the
    // handlers have seen the whole list. Replaying the caches is safe: handlers are idempotent.
    synchronized (lock) {
      if (!primed) {
        nodeInformer.getIndexer().list().forEach(this::nodeChanged);
        podInformer.getIndexer().list().forEach(this::podChanged);
        quotaInformer.getIndexer().list().forEach(this::quotaChanged);
        primed = true;
      }
    }
    return true;
  }

  @Override
  public ClusterSnapshot snapshot() {
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
  public ClusterSnapshot update(UnaryOperator<ClusterSnapshot> change) {
    synchronized (lock) {
      if (dirty) {
        rebuild();
      }
      current = change.apply(current);
      return current;
    }
  }

  /** The ResourceQuotas the informer has seen, by namespace and name. */
  @Override
  public QuotaLimits quotas() {
    return quotas;
  }

  @Override
  public Optional<KubePod> pod(String namespace, String name) {
    V1Pod p = podInformer.getIndexer().getByKey(namespace + "/" + name);
    if (p == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(KubePod.fromJson(json.tree(p)));
    } catch (WireException e) {
      LOG.warn("pod {}/{}: {}", namespace, name, e.getMessage());
      return Optional.empty();
    }
  }

  /** Nodes and pods left out now, with why ({@code node NAME} or {@code pod NS/NAME} to reason). */
  public Map<String, String> skipped() {
    synchronized (lock) {
      var out = new TreeMap<String, String>();
      skippedNodes.forEach((k, v) -> out.put("node " + k, v));
      skippedPods.forEach((k, v) -> out.put("pod " + k, v));
      return out;
    }
  }

  /** Node objects seen with undecodable HAMi annotations since start (a counter for metrics). */
  public long malformedNodes() {
    return malformedNodes.get();
  }

  /** Pod objects seen with undecodable HAMi annotations since start (a counter for metrics). */
  public long malformedPods() {
    return malformedPods.get();
  }

  /**
   * Registers this state's health with {@code registry}: {@code
   * tessera_state_malformed_annotations_total{kind="node"|"pod"}} (objects seen with annotations
   * that do not decode), {@code tessera_state_skipped_objects{kind}} (left out now) and {@code
   * tessera_state_snapshot_rebuilds_total}.
   */
  @Override
  public void registerMetrics(PrometheusRegistry registry) {
    CounterWithCallback.builder()
        .name("tessera_state_malformed_annotations_total")
        .help("Node and pod objects seen with HAMi annotations that do not decode.")
        .labelNames("kind")
        .callback(
            cb -> {
              cb.call(malformedNodes.get(), "node");
              cb.call(malformedPods.get(), "pod");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("tessera_state_skipped_objects")
        .help("Nodes and pods left out of the snapshot now because of their annotations.")
        .labelNames("kind")
        .callback(
            cb -> {
              int nodesNow;
              int podsNow;
              synchronized (lock) {
                nodesNow = skippedNodes.size();
                podsNow = skippedPods.size();
              }
              cb.call(nodesNow, "node");
              cb.call(podsNow, "pod");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tessera_state_snapshot_rebuilds_total")
        .help("Whole-snapshot rebuilds after node changes (pod changes are incremental).")
        .callback(cb -> cb.call(rebuilds.get()))
        .register(registry);
  }

  /** The Node objects as last listed or watched (for the handshake round). */
  public List<V1Node> nodeObjects() {
    return nodeInformer.getIndexer().list();
  }

  /**
   * Marks the nodes whose NVIDIA devices are dropped after a failed health check (hami-compat
   * §3.3); pods already placed there stay booked in the API server and come back with the node.
   */
  public void setUnhealthy(java.util.Set<String> names) {
    synchronized (lock) {
      if (!unhealthy.equals(names)) {
        unhealthy.clear();
        unhealthy.addAll(names);
        dirty = true;
      }
    }
  }

  /** Whole-snapshot rebuilds so far (node changes); pod changes are applied incrementally. */
  public long rebuilds() {
    return rebuilds.get();
  }

  /** How many pods the API server shows with a counted allocation. */
  public int observedPods() {
    synchronized (lock) {
      return observed.size();
    }
  }

  // ---- events ----

  private void nodeChanged(V1Node n) {
    String name = n.getMetadata().getName();
    KubeNode.Parsed parsed = KubeNode.parse(json.tree(n), gpuResource, clock);
    synchronized (lock) {
      if (parsed instanceof KubeNode.Usable u) {
        skippedNodes.remove(name);
        Node before = nodes.put(name, u.node());
        if (!u.node().equals(before)) {
          dirty = true;
        }
        return;
      }
      String reason = ((KubeNode.Unusable) parsed).reason();
      Map<String, String> ann = n.getMetadata().getAnnotations();
      if (ann == null || !ann.containsKey(Annotations.NODE_REGISTER)) {
        // Not a GPU node (or no longer one): nothing is wrong with it.
        skippedNodes.remove(name);
        if (nodes.remove(name) != null) {
          dirty = true;
        }
        return;
      }
      malformedNodes.incrementAndGet();
      skippedNodes.put(name, reason);
      boolean handshakeExpired = reason.startsWith("node unhealthy");
      if (handshakeExpired && nodes.remove(name) != null) {
        dirty = true;
      }
      LOG.warn(
          "node {}: {}; {}",
          name,
          reason,
          nodes.containsKey(name) ? "keeping its last good devices" : "node left out");
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
    String key = podKey(p);
    Optional<Placement> placement;
    try {
      KubePod pod = KubePod.fromJson(json.tree(p));
      placement = counted(pod) ? pod.placement() : Optional.empty();
    } catch (WireException | AnnotationDecodeException e) {
      malformedPods.incrementAndGet();
      LOG.warn("pod {}: {}; its devices are not counted", key, e.getMessage());
      synchronized (lock) {
        skippedPods.put(key, e.getMessage());
        if (observed.remove(key) != null) {
          current = current.forget(key);
        }
      }
      return;
    }
    synchronized (lock) {
      skippedPods.remove(key);
      if (placement.isEmpty()) {
        // An assumption the API server does not show yet is the extender's to forget.
        if (observed.remove(key) != null) {
          current = current.forget(key);
        }
        return;
      }
      Placement now = placement.get();
      Placement before = observed.put(key, now);
      if (before != null && sameBooking(before, now) && current.nodeOf(key).isPresent()) {
        return;
      }
      ClusterSnapshot s = current.forget(key);
      if (s.node(now.node()).isPresent()) {
        s = s.assume(now);
      }
      current = s;
    }
  }

  /**
   * Records a quota's {@code spec.hard} in the canonical text of each quantity (the API server
   * validated them as quantities; whether they are integral is {@code QuotaBook}'s check).
   */
  private void quotaChanged(V1ResourceQuota q) {
    var hard = new HashMap<String, String>();
    if (q.getSpec() != null && q.getSpec().getHard() != null) {
      q.getSpec()
          .getHard()
          .forEach(
              (k, v) -> {
                if (v != null) {
                  hard.put(k, v.toSuffixedString());
                }
              });
    }
    quotas.put(q.getMetadata().getNamespace(), q.getMetadata().getName(), hard);
  }

  private void podDeleted(String key) {
    synchronized (lock) {
      skippedPods.remove(key);
      observed.remove(key);
      current = current.forget(key);
    }
  }

  /** False for pods whose devices are free again: ended, or their bind marked failed. */
  private static boolean counted(KubePod pod) {
    return !pod.terminated()
        && !BindPhase.FAILED.wire().equals(pod.annotations().get(Annotations.BIND_PHASE));
  }

  // ---- rebuild (lock held) ----

  private void rebuild() {
    var running = new ArrayList<Placement>();
    observed.forEach(
        (key, p) -> {
          if (nodes.containsKey(p.node())) {
            running.add(p);
          }
        });
    // Assumptions made through update() live only in the snapshot: carry them over.
    for (var state : current.nodes()) {
      String node = state.node().name();
      if (!nodes.containsKey(node)) {
        continue;
      }
      for (var pod : state.pods()) {
        if (!observed.containsKey(pod.key())) {
          running.add(
              new Placement(
                  pod.key(),
                  "",
                  node,
                  pod.initContainerCount(),
                  pod.devices().getOrDefault(GpuRequest.NVIDIA, List.of())));
        }
      }
    }
    var serving = new ArrayList<Node>();
    for (Node n : nodes.values()) {
      if (!unhealthy.contains(n.name())) {
        serving.add(n);
      }
    }
    running.removeIf(p -> unhealthy.contains(p.node()));
    current = ClusterSnapshot.of(serving, running);
    dirty = false;
    rebuilds.incrementAndGet();
  }

  private static boolean sameBooking(Placement a, Placement b) {
    return a.node().equals(b.node())
        && a.initContainerCount() == b.initContainerCount()
        && a.containers().equals(b.containers());
  }
}
