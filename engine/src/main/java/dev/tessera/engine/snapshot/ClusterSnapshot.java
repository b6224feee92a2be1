package dev.tessera.engine.snapshot;

import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.engine.usage.NodeUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the cluster: nodes in a stable order, the pods placed on them, and each
 * device's usage derived from those pods with HAMi's accounting (hami-compat §7.10).
 *
 * <p>{@link #assume} and {@link #forget} return new snapshots (copy-on-write per node), like
 * kube-scheduler's cache: the extender assumes a pod at filter/bind time and forgets it when the
 * bind fails, the simulator assumes on arrival and forgets on departure. A pod can be placed at
 * most once, so an allocation is never doubled.
 */
public final class ClusterSnapshot {
  /** One node, the pods on it and the resulting device usage (register order). */
  public record NodeState(Node node, List<CachedPod> pods, List<DeviceUsage> usage) {
    public NodeState {
      pods = List.copyOf(pods);
      usage = List.copyOf(usage);
    }

    static NodeState of(Node node, List<CachedPod> pods) {
      return new NodeState(node, pods, NodeUsage.compute(node.devices(), pods));
    }
  }

  /** Node name to position in {@link #states}; the node set never changes, so it is shared. */
  private final Map<String, Integer> positions;

  /** Node states in the order given; never modified after construction. */
  private final NodeState[] states;

  private final PodIndex podNode;

  /** GPU share per namespace of the placed pods, kept with every assume and forget. */
  private final NamespaceTotals namespaces;

  /** {@link #states} as an immutable list, built on first use (benign race: same contents). */
  private List<NodeState> nodeList;

  private ClusterSnapshot(
      Map<String, Integer> positions,
      NodeState[] states,
      PodIndex podNode,
      NamespaceTotals namespaces) {
    this.positions = positions;
    this.states = states;
    this.podNode = podNode;
    this.namespaces = namespaces;
  }

  /** A snapshot of {@code nodes} (order kept) with the {@code running} pods booked. */
  public static ClusterSnapshot of(List<Node> nodes, List<Placement> running) {
    var byNode = new LinkedHashMap<String, List<CachedPod>>();
    for (Node n : nodes) {
      if (byNode.put(n.name(), new ArrayList<>()) != null) {
        throw new IllegalArgumentException("duplicate node " + n.name());
      }
    }
    var podNode = new HashMap<String, String>();
    var allPods = new ArrayList<CachedPod>(running.size());
    for (Placement p : running) {
      var list = byNode.get(p.node());
      if (list == null) {
        throw new IllegalArgumentException("pod " + p.podKey() + " is on unknown node " + p.node());
      }
      if (podNode.putIfAbsent(p.podKey(), p.node()) != null) {
        throw new IllegalArgumentException("pod " + p.podKey() + " is placed twice");
      }
      CachedPod pod = cached(p);
      list.add(pod);
      allPods.add(pod);
    }
    var positions = new HashMap<String, Integer>();
    var states = new NodeState[nodes.size()];
    for (int i = 0; i < states.length; i++) {
      Node n = nodes.get(i);
      positions.put(n.name(), i);
      states[i] = NodeState.of(n, byNode.get(n.name()));
    }
    return new ClusterSnapshot(
        Collections.unmodifiableMap(positions),
        states,
        PodIndex.of(podNode),
        NamespaceTotals.of(allPods));
  }

  /** Nodes in the order they were given. */
  public List<NodeState> nodes() {
    List<NodeState> l = nodeList;
    if (l == null) {
      l = List.of(states);
      nodeList = l;
    }
    return l;
  }

  public Optional<NodeState> node(String name) {
    Integer i = positions.get(name);
    return i == null ? Optional.empty() : Optional.of(states[i]);
  }

  /** The node {@code podKey} is placed on, if it is. */
  public Optional<String> nodeOf(String podKey) {
    return Optional.ofNullable(podNode.get(podKey));
  }

  public int podCount() {
    return podNode.size();
  }

  /**
   * The GPU memory (MiB) and cores (%) the placed pods of {@code namespace} hold on NVIDIA GPUs,
   * collapsed per GPU as the device usage books them: the usage ResourceQuotas limit (hami-compat
   * §9.1). Kept up to date by {@link #assume} and {@link #forget}, so reading it is a lookup.
   */
  public NamespaceUsage namespaceUsage(String namespace) {
    return namespaces.get(namespace);
  }

  /**
   * The snapshot with {@code placement} booked on its node. Costs the node's pods plus a copy of
   * the node array; the node's usage is updated with the pod's collapsed booking rather than
   * recomputed, except when the pod touches MIG GPUs (§7.9 restore needs every pod).
   *
   * @throws IllegalStateException when the pod is already placed (double allocation)
   * @throws IllegalArgumentException when the node is unknown
   */
  public ClusterSnapshot assume(Placement placement) {
    String already = podNode.get(placement.podKey());
    if (already != null) {
      throw new IllegalStateException(
          "pod " + placement.podKey() + " is already placed on " + already);
    }
    Integer pos = positions.get(placement.node());
    if (pos == null) {
      throw new IllegalArgumentException("unknown node " + placement.node());
    }
    NodeState state = states[pos];
    CachedPod pod = cached(placement);
    var pods = new ArrayList<CachedPod>(state.pods().size() + 1);
    pods.addAll(state.pods());
    pods.add(pod);
    NodeState changed =
        NodeUsage.adjusted(state.usage(), pod, true)
            .map(u -> new NodeState(state.node(), pods, u))
            .orElseGet(() -> NodeState.of(state.node(), pods));
    return with(
        pos, changed, podNode.with(placement.podKey(), placement.node()), namespaces.plus(pod, 1));
  }

  /** The snapshot without {@code podKey}'s placement; unchanged when the pod is not placed. */
  public ClusterSnapshot forget(String podKey) {
    String nodeName = podNode.get(podKey);
    if (nodeName == null) {
      return this;
    }
    int pos = positions.get(nodeName);
    NodeState state = states[pos];
    var pods = new ArrayList<CachedPod>(state.pods().size());
    CachedPod removed = null;
    for (CachedPod p : state.pods()) {
      if (p.key().equals(podKey)) {
        removed = p;
      } else {
        pods.add(p);
      }
    }
    Optional<List<DeviceUsage>> usage =
        removed == null ? Optional.empty() : NodeUsage.adjusted(state.usage(), removed, false);
    NodeState changed =
        usage
            .map(u -> new NodeState(state.node(), pods, u))
            .orElseGet(() -> NodeState.of(state.node(), pods));
    return with(
        pos,
        changed,
        podNode.without(podKey),
        removed == null ? namespaces : namespaces.plus(removed, -1));
  }

  private ClusterSnapshot with(
      int pos, NodeState changed, PodIndex newPodNode, NamespaceTotals newNamespaces) {
    NodeState[] copy = states.clone();
    copy[pos] = changed;
    return new ClusterSnapshot(positions, copy, newPodNode, newNamespaces);
  }

  private static CachedPod cached(Placement p) {
    return new CachedPod(
        p.podKey(),
        Map.of(GpuRequest.NVIDIA, p.containers()),
        p.initContainerCount(),
        false,
        List.of(),
        Optional.empty());
  }
}
