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

  private final Map<String, NodeState> nodes;
  private final Map<String, String> podNode;

  private ClusterSnapshot(Map<String, NodeState> nodes, Map<String, String> podNode) {
    this.nodes = nodes;
    this.podNode = podNode;
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
    for (Placement p : running) {
      var list = byNode.get(p.node());
      if (list == null) {
        throw new IllegalArgumentException("pod " + p.podKey() + " is on unknown node " + p.node());
      }
      if (podNode.putIfAbsent(p.podKey(), p.node()) != null) {
        throw new IllegalArgumentException("pod " + p.podKey() + " is placed twice");
      }
      list.add(cached(p));
    }
    var states = new LinkedHashMap<String, NodeState>();
    for (Node n : nodes) {
      states.put(n.name(), NodeState.of(n, byNode.get(n.name())));
    }
    return new ClusterSnapshot(
        Collections.unmodifiableMap(states), Collections.unmodifiableMap(podNode));
  }

  /** Nodes in the order they were given. */
  public List<NodeState> nodes() {
    return List.copyOf(nodes.values());
  }

  public Optional<NodeState> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  /** The node {@code podKey} is placed on, if it is. */
  public Optional<String> nodeOf(String podKey) {
    return Optional.ofNullable(podNode.get(podKey));
  }

  public int podCount() {
    return podNode.size();
  }

  /**
   * The snapshot with {@code placement} booked on its node.
   *
   * @throws IllegalStateException when the pod is already placed (double allocation)
   * @throws IllegalArgumentException when the node is unknown
   */
  public ClusterSnapshot assume(Placement placement) {
    if (podNode.containsKey(placement.podKey())) {
      throw new IllegalStateException(
          "pod " + placement.podKey() + " is already placed on " + podNode.get(placement.podKey()));
    }
    NodeState state = nodes.get(placement.node());
    if (state == null) {
      throw new IllegalArgumentException("unknown node " + placement.node());
    }
    var pods = new ArrayList<>(state.pods());
    pods.add(cached(placement));
    var newPodNode = new HashMap<>(podNode);
    newPodNode.put(placement.podKey(), placement.node());
    return with(NodeState.of(state.node(), pods), newPodNode);
  }

  /** The snapshot without {@code podKey}'s placement; unchanged when the pod is not placed. */
  public ClusterSnapshot forget(String podKey) {
    String nodeName = podNode.get(podKey);
    if (nodeName == null) {
      return this;
    }
    NodeState state = nodes.get(nodeName);
    var pods = new ArrayList<CachedPod>(state.pods().size());
    for (CachedPod p : state.pods()) {
      if (!p.key().equals(podKey)) {
        pods.add(p);
      }
    }
    var newPodNode = new HashMap<>(podNode);
    newPodNode.remove(podKey);
    return with(NodeState.of(state.node(), pods), newPodNode);
  }

  private ClusterSnapshot with(NodeState changed, Map<String, String> newPodNode) {
    var copy = new LinkedHashMap<>(nodes);
    copy.put(changed.node().name(), changed);
    return new ClusterSnapshot(
        Collections.unmodifiableMap(copy), Collections.unmodifiableMap(newPodNode));
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
