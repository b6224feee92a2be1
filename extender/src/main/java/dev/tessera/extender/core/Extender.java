package dev.tessera.extender.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.BindPhase;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.codec.UnixTime;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.fit.InvalidScoringWeightsException;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.engine.usage.NodeUsage;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.state.Binder;
import dev.tessera.extender.state.ClusterState;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.extender.wire.KubeNode;
import dev.tessera.extender.wire.KubePod;
import dev.tessera.extender.wire.NodeList;
import dev.tessera.extender.wire.WireException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three extender verbs over the engine, independent of HTTP and of Kubernetes clients.
 *
 * <ul>
 *   <li>{@link #filter}: every feasible node (not just one, as HAMi answers), {@code FailedNodes}
 *       with the rule and the numbers for each rejected node, {@code FailedAndUnresolvableNodes}
 *       for nodes nothing could make fit. Works with whole Node objects ({@code nodeCacheCapable:
 *       false}; the answer then carries them back in {@code Nodes.items}) and with names.
 *   <li>{@link #prioritize}: the policy's preference mapped to 0..10, see {@link Priorities}; the
 *       best node is held for the pod until its bind.
 *   <li>{@link #bind}: decides the devices on the given node against the current snapshot and
 *       assumes the pod in the same atomic update (so concurrent binds never share a GPU slice),
 *       writes HAMi's annotations, then the Binding; a failure forgets the booking.
 * </ul>
 *
 * Filter and prioritize write nothing to the cluster; prioritize only holds its preferred node in
 * the snapshot until the bind (see {@link #hold}). Until the cluster state is {@linkplain
 * ClusterState#ready ready} (informers synced) filter and bind answer {@link #NOT_SYNCED} and
 * prioritize an empty list: kube-scheduler retries an errored pod, whereas a filter answered from a
 * half-loaded state would mark every node unresolvable (no preemption) and a bind could book GPUs
 * that running pods not listed yet already hold. Thread-safe.
 */
public final class Extender {
  private static final Logger LOG = LoggerFactory.getLogger(Extender.class);

  private final ClusterState state;
  private final Binder binder;
  private final NodeRanking ranking;
  private final DeviceConfig config;
  private final Engine engine;
  private final Engine.Options options;
  private final QuotaBook quotas;
  private final Reservations reservations;
  private final ExtenderMetrics metrics;
  private final Clock clock;
  private final RecentEvaluations recent = new RecentEvaluations(5_000_000_000L);

  /** How long prioritize's hold on the preferred node waits for the pod's bind. */
  static final Duration HOLD = Duration.ofSeconds(10);

  /** The {@code Error} filter and bind answer while the cluster state is not synced. */
  public static final String NOT_SYNCED =
      "cluster state not synced yet (node and pod informers still listing); kube-scheduler will"
          + " retry";

  private final BooleanSupplier leading;

  public Extender(
      ClusterState state,
      Binder binder,
      NodeRanking ranking,
      DeviceConfig config,
      Engine.Options options,
      Reservations reservations,
      ExtenderMetrics metrics,
      Clock clock) {
    this(state, binder, ranking, config, options, reservations, metrics, clock, () -> true);
  }

  /**
   * An extender whose binds are refused at once (before anything is booked) while {@code leading}
   * is false, counted as {@code binds_total{result="not_leader"}}.
   *
   * @param leading true while this replica may bind (the Lease leader, or always)
   */
  public Extender(
      ClusterState state,
      Binder binder,
      NodeRanking ranking,
      DeviceConfig config,
      Engine.Options options,
      Reservations reservations,
      ExtenderMetrics metrics,
      Clock clock,
      BooleanSupplier leading) {
    this.leading = java.util.Objects.requireNonNull(leading, "leading");
    this.state = state;
    this.binder = binder;
    this.ranking = ranking;
    this.config = config;
    this.engine = new Engine(options);
    this.options = options;
    this.quotas = new QuotaBook(state.quotas(), config);
    this.reservations = reservations;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The cluster state this extender decides on. */
  public ClusterState state() {
    return state;
  }

  /** The ranking policy in use. */
  public NodeRanking ranking() {
    return ranking;
  }

  /** The namespace GPU quotas this extender enforces (hami-compat §9). */
  public QuotaBook quotas() {
    return quotas;
  }

  /** Pods assumed in bind and not yet seen bound. */
  public Reservations reservations() {
    return reservations;
  }

  /** The filter verb; problems with the request come back in {@code Error}, never as exceptions. */
  public ExtenderFilterResult filter(ExtenderArgs args) {
    long start = System.nanoTime();
    String podKey = "?";
    try {
      if (!state.ready()) {
        metrics.notSynced("filter");
        return ExtenderFilterResult.error(NOT_SYNCED);
      }
      KubePod pod = pod(args);
      podKey = pod.key();
      PodRequest request = pod.request(config);
      if (!request.wantsGpu()) {
        // HAMi's rule: a pod asking for nothing we manage passes every node untouched.
        return args.sendsNodeObjects()
            ? new ExtenderFilterResult(args.nodes(), null, null, null, null)
            : new ExtenderFilterResult(null, nodeNames(args), null, null, null);
      }
      ClusterSnapshot base = base(pod);
      List<Candidate> candidates = candidates(args, base);
      List<NodeResult> results =
          ranking.evaluate(request, candidates, quotas.forDecision(request.namespace(), base));
      if (!args.sendsNodeObjects()) {
        recent.put(cacheKey(pod), results);
      }
      var feasibleNames = new ArrayList<String>();
      var feasibleItems = new ArrayList<JsonNode>();
      var failed = new LinkedHashMap<String, String>();
      var unresolvable = new LinkedHashMap<String, String>();
      for (int i = 0; i < results.size(); i++) {
        NodeResult r = results.get(i);
        switch (r.outcome()) {
          case FEASIBLE -> {
            feasibleNames.add(r.node());
            if (candidates.get(i).json() != null) {
              feasibleItems.add(candidates.get(i).json());
            }
          }
          case FAILED -> failed.put(r.node(), r.reason());
          case UNRESOLVABLE -> unresolvable.put(r.node(), r.reason());
        }
        if (!r.feasible()) {
          metrics.filteredOut(r.reason());
        }
      }
      LOG.debug(
          "verb=filter pod={} policy={} candidates={} feasible={} failed={} unresolvable={}",
          podKey,
          ranking.name(),
          candidates.size(),
          feasibleNames.size(),
          failed.size(),
          unresolvable.size());
      return args.sendsNodeObjects()
          ? new ExtenderFilterResult(new NodeList(feasibleItems), null, failed, unresolvable, null)
          : new ExtenderFilterResult(null, feasibleNames, failed, unresolvable, null);
    } catch (WireException | InvalidScoringWeightsException e) {
      LOG.warn("verb=filter pod={} error: {}", podKey, e.getMessage());
      return ExtenderFilterResult.error(e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("verb=filter pod={} failed", podKey, e);
      return ExtenderFilterResult.error("filter failed: " + e);
    } finally {
      long nanos = System.nanoTime() - start;
      metrics.observe("filter", nanos);
      LOG.debug("verb=filter pod={} duration={}us", podKey, nanos / 1000);
    }
  }

  /**
   * The prioritize verb: one entry per candidate, 0..10. kube-scheduler ignores prioritize errors,
   * so a bad request answers an empty list (and is logged).
   */
  public List<HostPriority> prioritize(ExtenderArgs args) {
    long start = System.nanoTime();
    String podKey = "?";
    try {
      if (!state.ready()) {
        // Scores from a half-loaded state would steer pods wrongly; none are better.
        metrics.notSynced("prioritize");
        return List.of();
      }
      KubePod pod = pod(args);
      podKey = pod.key();
      PodRequest request = pod.request(config);
      if (!args.sendsNodeObjects() && args.nodeNames() != null) {
        if (!request.wantsGpu()) {
          return args.nodeNames().stream().map(n -> new HostPriority(n, 0)).toList();
        }
        Optional<List<NodeResult>> fromFilter = recent.get(cacheKey(pod), args.nodeNames());
        if (fromFilter.isPresent()) {
          hold(pod, request, fromFilter.get());
          return Priorities.map(fromFilter.get());
        }
      }
      ClusterSnapshot base = base(pod);
      List<Candidate> candidates = candidates(args, base);
      if (!request.wantsGpu()) {
        return candidates.stream().map(c -> new HostPriority(c.name(), 0)).toList();
      }
      List<NodeResult> results =
          ranking.evaluate(request, candidates, quotas.forDecision(request.namespace(), base));
      hold(pod, request, results);
      return Priorities.map(results);
    } catch (RuntimeException e) {
      LOG.warn("verb=prioritize pod={} error: {}", podKey, e.getMessage());
      return List.of();
    } finally {
      long nanos = System.nanoTime() - start;
      metrics.observe("prioritize", nanos);
      LOG.debug("verb=prioritize pod={} duration={}us", podKey, nanos / 1000);
    }
  }

  /**
   * Evaluates a v1 Pod on whole v1 Node objects exactly as {@link #filter} and {@link #prioritize}
   * do with {@code nodeCacheCapable: false} (same candidates, ranking and reasons), for scheduler
   * protocols other than kube-scheduler's (Volcano's extender plugin). Records no metrics: the
   * caller times its own verb.
   *
   * @param pod a v1 Pod object
   * @param nodes v1 Node objects; a node unknown to the cluster state is read from its own
   *     annotations
   * @param hold when true, holds the pod on its best node as {@link #prioritize} does
   * @return one result per node, same order; empty when the pod asks for no GPU resource Tessera
   *     manages (HAMi passes such pods on every node)
   * @throws WireException naming the field when the pod is malformed
   * @throws InvalidScoringWeightsException when the pod's scoring-weights annotation is invalid
   */
  public Optional<List<NodeResult>> evaluate(JsonNode pod, List<JsonNode> nodes, boolean hold) {
    var args = new ExtenderArgs(pod, new NodeList(nodes), null);
    KubePod kubePod = pod(args);
    PodRequest request = kubePod.request(config);
    if (!request.wantsGpu()) {
      return Optional.empty();
    }
    ClusterSnapshot base = base(kubePod);
    List<NodeResult> results =
        ranking.evaluate(
            request, candidates(args, base), quotas.forDecision(request.namespace(), base));
    if (hold) {
      hold(kubePod, request, results);
    }
    return Optional.of(results);
  }

  /**
   * Books {@code pod} on the node it scores best, in the snapshot only, until its bind arrives
   * (which drops the hold and decides again on the node kube-scheduler chose) or {@link #HOLD}
   * passes. kube-scheduler binds asynchronously, so without a hold the next pod's filter would see
   * this pod's GPUs as free, and with binpack most pods of a job would collide on one node and be
   * refused at bind.
   */
  private void hold(KubePod pod, PodRequest request, List<NodeResult> results) {
    NodeResult best = null;
    for (NodeResult r : results) {
      if (r.feasible() && (best == null || r.preference() > best.preference())) {
        best = r;
      }
    }
    if (best == null || !pod.nodeName().isEmpty()) {
      return;
    }
    String node = best.node();
    String key = pod.key();
    var held = new boolean[1];
    // Reserved before the snapshot changes, so the sweeper cannot drop the new hold in between
    // (see Reservations#forget); undone below if the pod does not fit after all.
    Reservations.Undo undo = reservations.hold(pod, node, HOLD);
    state.update(
        s -> {
          held[0] = false;
          ClusterSnapshot base = s.nodeOf(key).isPresent() ? s.forget(key) : s;
          if (base.node(node).isEmpty()) {
            return s;
          }
          if (engineFor(request, base).decide(request, base, List.of(node))
              instanceof Decision.Placed p) {
            held[0] = true;
            return base.assume(
                new Placement(key, pod.uid(), node, request.initContainerCount(), p.containers()));
          }
          return s;
        });
    if (!held[0]) {
      undo.run();
    }
  }

  /** The bind verb; failures come back in {@code Error} with the reason. */
  public ExtenderBindingResult bind(ExtenderBindingArgs args) {
    long start = System.nanoTime();
    String podKey = args.podNamespace() + "/" + args.podName();
    String node = args.node();
    try {
      if (!state.ready()) {
        metrics.bind(ExtenderMetrics.BIND_NOT_SYNCED);
        return new ExtenderBindingResult(NOT_SYNCED);
      }
      if (!leading.getAsBoolean()) {
        metrics.bind(ExtenderMetrics.BIND_NOT_LEADER);
        return new ExtenderBindingResult(
            "pod " + podKey + ": this replica is not the leader; only the leader binds");
      }
      ExtenderBindingResult r = doBind(args, podKey, node);
      metrics.bind(r.ok() ? ExtenderMetrics.BIND_BOUND : ExtenderMetrics.BIND_REJECTED);
      return r;
    } catch (RuntimeException e) {
      // Leadership lost during the bind (the binder refused) is not an API failure.
      metrics.bind(
          leading.getAsBoolean() ? ExtenderMetrics.BIND_FAILED : ExtenderMetrics.BIND_NOT_LEADER);
      LOG.warn("verb=bind pod={} node={} failed: {}", podKey, node, e.getMessage());
      return new ExtenderBindingResult(e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      long nanos = System.nanoTime() - start;
      metrics.observe("bind", nanos);
      LOG.info("verb=bind pod={} node={} duration={}us", podKey, node, nanos / 1000);
    }
  }

  private ExtenderBindingResult doBind(ExtenderBindingArgs args, String podKey, String node) {
    if (args.podName() == null || args.podNamespace() == null || node == null || node.isEmpty()) {
      return new ExtenderBindingResult("bind needs PodName, PodNamespace and Node");
    }
    Optional<KubePod> found = state.pod(args.podNamespace(), args.podName());
    if (found.isEmpty()) {
      return new ExtenderBindingResult("pod " + podKey + " not found");
    }
    KubePod pod = found.get();
    if (args.podUid() != null
        && !args.podUid().isEmpty()
        && !pod.uid().isEmpty()
        && !args.podUid().equals(pod.uid())) {
      return new ExtenderBindingResult(
          "pod " + podKey + " has UID " + pod.uid() + ", not " + args.podUid());
    }
    if (!pod.nodeName().isEmpty()) {
      return pod.nodeName().equals(node)
          ? ExtenderBindingResult.OK
          : new ExtenderBindingResult("pod " + podKey + " is already bound to " + pod.nodeName());
    }
    recent.remove(cacheKey(pod));
    PodRequest request = pod.request(config);
    if (!request.wantsGpu()) {
      binder.bind(pod, node);
      return ExtenderBindingResult.OK;
    }
    var decided = new Decision[1];
    // Reserved before the snapshot changes: a sweep between the two would otherwise find
    // prioritize's expired hold and forget the booking this update is about to make.
    Reservations.Undo undo = reservations.add(pod, node);
    try {
      state.update(
          s -> {
            // A pod re-bound after a failed attempt drops its earlier booking first (HAMi does
            // the same in filter), so it never counts twice.
            ClusterSnapshot base = s.nodeOf(podKey).isPresent() ? s.forget(podKey) : s;
            // The quota is read from the snapshot this update installs on, so two binds in one
            // namespace cannot both pass a limit that only one of them fits (the loser's update
            // runs again on the winner's snapshot).
            Decision d = engineFor(request, base).decide(request, base, List.of(node));
            decided[0] = d;
            if (d instanceof Decision.Placed p) {
              return base.assume(
                  new Placement(
                      podKey, pod.uid(), node, request.initContainerCount(), p.containers()));
            }
            // refused: also drop prioritize's hold, kube-scheduler will try the pod again
            return base;
          });
    } catch (RuntimeException e) {
      // Nothing changed: the earlier hold (if any) keeps its own reservation.
      undo.run();
      throw e;
    }
    if (!(decided[0] instanceof Decision.Placed placed)) {
      reservations.release(podKey, node);
      String reason = decided[0].verdicts().get(0).reason();
      LOG.info("verb=bind pod={} node={} rejected: {}", podKey, node, reason);
      return new ExtenderBindingResult(
          "node " + node + " can no longer take pod " + podKey + ": " + reason);
    }
    try {
      binder.annotate(pod, annotations(placed, node), Map.of(Annotations.VGPU_NODE, node));
      binder.bind(pod, node);
    } catch (RuntimeException e) {
      // BindException or anything else the binder threw: the booking must not outlive it.
      reservations.release(podKey, node);
      throw e;
    }
    return ExtenderBindingResult.OK;
  }

  /** HAMi's pod annotations for a placement (§4.1, §4.2), written before the Binding. */
  private Map<String, String> annotations(Decision.Placed placed, String node) {
    var a =
        new LinkedHashMap<String, String>(
            PodDevicesCodec.patchAnnotations(Map.of(GpuRequest.NVIDIA, placed.containers())));
    String now = UnixTime.format(clock.instant());
    a.put(Annotations.VGPU_NODE, node);
    a.put(Annotations.VGPU_TIME, now);
    a.put(Annotations.BIND_PHASE, BindPhase.ALLOCATING.wire());
    a.put(Annotations.BIND_TIME, now);
    return a;
  }

  private KubePod pod(ExtenderArgs args) {
    if (args.pod() == null || args.pod().isNull()) {
      throw new WireException("ExtenderArgs: Pod is required");
    }
    KubePod pod = KubePod.fromJson(args.pod());
    state.observe(pod);
    return pod;
  }

  /** The pod's identity across one scheduling cycle: UID, plus the key for pods without one. */
  private static String cacheKey(KubePod pod) {
    return pod.uid() + "|" + pod.key();
  }

  private static List<String> nodeNames(ExtenderArgs args) {
    return args.nodeNames() == null ? List.of() : args.nodeNames();
  }

  /** The engine for one decision on {@code base}: with the pod's namespace quota, if any. */
  private Engine engineFor(PodRequest request, ClusterSnapshot base) {
    Optional<NamespaceQuota> quota = quotas.forDecision(request.namespace(), base);
    return quota.isEmpty() ? engine : new Engine(options, Optional.of(quota.get().state()));
  }

  /**
   * The snapshot a request is evaluated on. A pod being scheduled again (its earlier bind failed
   * after its booking was seen) is evaluated without its own old booking, as HAMi's filter drops it
   * first (its quota usage too); the state's snapshot itself is left alone.
   */
  private ClusterSnapshot base(KubePod pod) {
    ClusterSnapshot current = state.snapshot();
    return current.nodeOf(pod.key()).isPresent() ? current.forget(pod.key()) : current;
  }

  /** The candidates of a request, with the usage {@code snapshot} has for each. */
  private List<Candidate> candidates(ExtenderArgs args, ClusterSnapshot snapshot) {
    if (args.sendsNodeObjects()) {
      var out = new ArrayList<Candidate>(args.nodes().items().size());
      for (JsonNode item : args.nodes().items()) {
        out.add(fromObject(item, snapshot));
      }
      return out;
    }
    if (args.nodeNames() == null) {
      throw new WireException("ExtenderArgs: one of NodeNames or Nodes is required");
    }
    var out = new ArrayList<Candidate>(args.nodeNames().size());
    for (String name : args.nodeNames()) {
      out.add(
          snapshot
              .node(name)
              .map(s -> Candidate.usable(s.node(), s.pods(), s.usage(), null))
              .orElseGet(() -> Candidate.unusable(name, KubeNode.UNREGISTERED, null)));
    }
    return out;
  }

  /**
   * A candidate from a whole Node object: the GPUs it registers, booked with the pods the snapshot
   * has on that node. (HAMi ignores running pods on this path, which over-commits; Tessera does
   * not.)
   */
  private Candidate fromObject(JsonNode item, ClusterSnapshot snapshot) {
    KubeNode.Parsed parsed = KubeNode.parse(item, config.resourceCountName(), clock);
    if (parsed instanceof KubeNode.Unusable u) {
      LOG.warn("node {} skipped: {}", u.name().isEmpty() ? "(unnamed)" : u.name(), u.reason());
      return Candidate.unusable(u.name(), u.reason(), item);
    }
    var usable = (KubeNode.Usable) parsed;
    var known = snapshot.node(usable.name());
    List<CachedPod> pods = known.map(ClusterSnapshot.NodeState::pods).orElse(List.of());
    List<DeviceUsage> usage;
    if (known.isPresent() && known.get().node().devices().equals(usable.node().devices())) {
      usage = known.get().usage();
    } else {
      usage = NodeUsage.compute(usable.node().devices(), pods);
    }
    return Candidate.usable(usable.node(), pods, usage, item);
  }
}
