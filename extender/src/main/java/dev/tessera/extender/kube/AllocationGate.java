package dev.tessera.extender.kube;

import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PendingAllocation;
import dev.tessera.engine.codec.UnixTime;
import dev.tessera.extender.state.BindException;
import dev.tessera.extender.state.ShutdownSignal;
import dev.tessera.extender.wire.KubePod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Allocation safety without a node lock (issue 6): before the extender writes a pod's HAMi
 * annotations for node N, {@link #enter} waits while another pod on N still waits for its devices
 * with a signature the device plugin could not tell apart ({@link
 * PendingAllocation#indistinguishable}), because kubelet's Allocate carries no pod identity. Binds
 * of pods with other signatures, or to other nodes, never wait; same-signature binds to one node
 * are serialised by the kubelet's Allocate latency, not by a lock timeout.
 *
 * <p>A blocking pod stops blocking when the informer shows it no longer waiting (bind phase success
 * or failed, served, ended or deleted), when its {@code hami.io/bind-time} is older than {@link
 * Settings#staleAfter} (HAMi's stale rule), or when this process gives up its bind ({@link
 * #abandon}). Check and mark are atomic per node: the pod entering is recorded as in flight under
 * the node's lock, so of two binds waiting on the same pod only one proceeds when it finishes.
 *
 * <p>Thread-safe. Fed by the pod informer ({@link #podChanged}, {@link #podDeleted}).
 */
public final class AllocationGate {
  /**
   * Timing of the gate.
   *
   * @param staleAfter a waiting pod whose bind time is older than this no longer blocks (HAMi: 30
   *     s)
   * @param waitLimit the longest one bind waits before it fails, so that kube-scheduler retries;
   *     keep it below kube-scheduler's bind timeout (the extender's {@code httpTimeout})
   * @param shutdown once stopped, waiting binds fail at once and new ones that would wait fail
   *     without waiting (the extender is shutting down; kube-scheduler retries elsewhere)
   */
  public record Settings(Duration staleAfter, Duration waitLimit, ShutdownSignal shutdown) {
    /** 30 s stale rule (HAMi's), 20 s wait limit, never shut down. */
    public static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(30), Duration.ofSeconds(20));

    /** Settings whose waits are never cut by a shutdown. */
    public Settings(Duration staleAfter, Duration waitLimit) {
      this(staleAfter, waitLimit, ShutdownSignal.NEVER);
    }

    public Settings {
      Objects.requireNonNull(staleAfter, "staleAfter");
      Objects.requireNonNull(waitLimit, "waitLimit");
      Objects.requireNonNull(shutdown, "shutdown");
      if (staleAfter.isNegative() || staleAfter.isZero()) {
        throw new IllegalArgumentException("staleAfter must be positive, got " + staleAfter);
      }
      if (waitLimit.isNegative()) {
        throw new IllegalArgumentException("waitLimit must not be negative, got " + waitLimit);
      }
    }
  }

  /**
   * A pod waiting for devices on a node.
   *
   * @param counts its signature
   * @param since its bind time, for the stale rule
   * @param bindTime the {@code hami.io/bind-time} value it carries (or this process wrote)
   * @param confirmed false while only this process knows it (annotations written, informer event
   *     not seen yet): older events of the pod, without this bind time, must not clear it
   */
  private record Waiting(List<Integer> counts, Instant since, String bindTime, boolean confirmed) {}

  private static final class NodeQueue {
    final ReentrantLock lock = new ReentrantLock(true);
    final Condition changed = lock.newCondition();
    // Guarded by lock.
    final Map<String, Waiting> pods = new HashMap<>();
  }

  // The longest a waiter sleeps before looking at the clock again (the stale rule needs no event).
  private static final long MAX_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final Settings settings;
  private final Clock clock;
  private final ConcurrentHashMap<String, NodeQueue> nodes = new ConcurrentHashMap<>();
  // Pod key to the node it waits on; changed only under that node's lock.
  private final ConcurrentHashMap<String, String> nodeOfPod = new ConcurrentHashMap<>();

  public AllocationGate(Settings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    settings.shutdown().onStop(this::wakeAll);
  }

  /**
   * Waits until no other pod waiting on {@code node} is indistinguishable from {@code podKey}'s
   * {@code annotations}, then records the pod as waiting there (in flight) and returns. Pods
   * without GPU entries pass at once.
   *
   * @param annotations the annotations about to be written: {@code hami.io/vgpu-node}, {@code
   *     hami.io/bind-time} and {@code hami.io/vgpu-devices-to-allocate}
   * @throws BindException naming the blocking pods when {@link Settings#waitLimit} passes, when the
   *     extender shuts down while the pod would wait ({@link Settings#shutdown}), or when the
   *     thread is interrupted; nothing was written for the pod then
   */
  public void enter(String podKey, String node, Map<String, String> annotations) {
    List<Integer> counts =
        PendingAllocation.pendingCounts(annotations.get(Annotations.DEVICES_TO_ALLOCATE))
            .orElse(List.of());
    if (counts.isEmpty()) {
      return;
    }
    String bindTime = annotations.getOrDefault(Annotations.BIND_TIME, "");
    long deadline = System.nanoTime() + settings.waitLimit().toNanos();
    NodeQueue q = queue(node);
    String previous = null;
    q.lock.lock();
    try {
      while (true) {
        Instant now = clock.instant();
        List<String> blockers = blockers(q, podKey, counts, now);
        if (blockers.isEmpty()) {
          previous = moveTo(podKey, node, q, new Waiting(counts, now, bindTime, false));
          break;
        }
        if (settings.shutdown().stopped()) {
          throw new BindException(
              "pod "
                  + podKey
                  + " was not bound to node "
                  + node
                  + ": the extender is shutting down while pod(s) "
                  + String.join(", ", blockers)
                  + " still wait there for devices the device plugin could not tell apart from"
                  + " this pod's; kube-scheduler will retry");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new BindException(
              "pod "
                  + podKey
                  + " was not bound to node "
                  + node
                  + ": pod(s) "
                  + String.join(", ", blockers)
                  + " still wait there for devices with the same per-container GPU counts "
                  + counts
                  + ", and the device plugin could not tell their Allocate calls apart; waited "
                  + settings.waitLimit().toMillis()
                  + " ms for kubelet to allocate them (bind-phase success or failed) or for"
                  + " their bind time to pass "
                  + settings.staleAfter().toSeconds()
                  + " s; kube-scheduler will retry");
        }
        long nap = Math.min(Math.min(left, MAX_NAP_NANOS), nanosUntilStale(q, now));
        q.changed.awaitNanos(Math.max(nap, 1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BindException("pod " + podKey + ": interrupted while waiting to bind", e);
    } finally {
      q.lock.unlock();
    }
    dropElsewhere(podKey, previous);
  }

  /** Forgets {@code podKey}'s in-flight mark: its annotations or Binding were not written. */
  public void abandon(String podKey) {
    remove(podKey);
  }

  /** The informer saw {@code pod} added or changed. */
  public void podChanged(KubePod pod) {
    String key = pod.key();
    Map<String, String> a = pod.annotations();
    String node = a.getOrDefault(Annotations.VGPU_NODE, "");
    String bindTime = a.getOrDefault(Annotations.BIND_TIME, "");
    if (!node.isEmpty() && PendingAllocation.waiting(pod.phase(), a, node)) {
      List<Integer> counts =
          PendingAllocation.pendingCounts(a.get(Annotations.DEVICES_TO_ALLOCATE)).orElse(List.of());
      Instant since;
      try {
        since = UnixTime.parse(Annotations.BIND_TIME, bindTime);
      } catch (AnnotationDecodeException e) {
        // Undated: treated as stale, so an unreadable annotation never holds binds back.
        since = Instant.EPOCH;
      }
      NodeQueue q = queue(node);
      String previous;
      q.lock.lock();
      try {
        previous = moveTo(key, node, q, new Waiting(counts, since, bindTime, true));
      } finally {
        q.lock.unlock();
      }
      dropElsewhere(key, previous);
      return;
    }
    String at = nodeOfPod.get(key);
    if (at == null) {
      return;
    }
    NodeQueue q = queue(at);
    q.lock.lock();
    try {
      Waiting w = q.pods.get(key);
      // An event from before this process wrote the annotations does not end the bind.
      if (w != null && (w.confirmed() || w.bindTime().equals(bindTime))) {
        q.pods.remove(key);
        nodeOfPod.remove(key, at);
        q.changed.signalAll();
      }
    } finally {
      q.lock.unlock();
    }
  }

  /** The informer saw the pod {@code namespace/name} deleted. */
  public void podDeleted(String podKey) {
    remove(podKey);
  }

  /**
   * Pods recorded as waiting for devices on {@code node} now, stale ones left out, sorted (for
   * tests and diagnostics).
   */
  public List<String> waitingOn(String node) {
    NodeQueue q = queue(node);
    q.lock.lock();
    try {
      Instant now = clock.instant();
      var out = new ArrayList<String>();
      q.pods.forEach(
          (key, w) -> {
            if (!stale(w, now)) {
              out.add(key);
            }
          });
      out.sort(null);
      return out;
    } finally {
      q.lock.unlock();
    }
  }

  // ---- internals ----

  private void wakeAll() {
    for (NodeQueue q : nodes.values()) {
      q.lock.lock();
      try {
        q.changed.signalAll();
      } finally {
        q.lock.unlock();
      }
    }
  }

  private NodeQueue queue(String node) {
    return nodes.computeIfAbsent(node, n -> new NodeQueue());
  }

  private void remove(String podKey) {
    String at = nodeOfPod.get(podKey);
    if (at == null) {
      return;
    }
    NodeQueue q = queue(at);
    q.lock.lock();
    try {
      if (q.pods.remove(podKey) != null) {
        q.changed.signalAll();
      }
      nodeOfPod.remove(podKey, at);
    } finally {
      q.lock.unlock();
    }
  }

  /**
   * Records {@code w} on {@code q} (lock held); returns the node the pod was recorded on before, if
   * another, for {@link #dropElsewhere} once {@code q}'s lock is released (two node locks are never
   * held together).
   */
  private String moveTo(String podKey, String node, NodeQueue q, Waiting w) {
    String before = nodeOfPod.put(podKey, node);
    q.pods.put(podKey, w);
    q.changed.signalAll();
    return before != null && !before.equals(node) ? before : null;
  }

  private void dropElsewhere(String podKey, String oldNode) {
    if (oldNode == null) {
      return;
    }
    NodeQueue old = queue(oldNode);
    old.lock.lock();
    try {
      if (!oldNode.equals(nodeOfPod.get(podKey)) && old.pods.remove(podKey) != null) {
        old.changed.signalAll();
      }
    } finally {
      old.lock.unlock();
    }
  }

  private List<String> blockers(NodeQueue q, String podKey, List<Integer> counts, Instant now) {
    var out = new ArrayList<String>();
    q.pods.forEach(
        (key, w) -> {
          if (!key.equals(podKey)
              && !stale(w, now)
              && PendingAllocation.indistinguishable(w.counts(), counts)) {
            out.add(key);
          }
        });
    out.sort(null);
    return out;
  }

  private boolean stale(Waiting w, Instant now) {
    return !w.since().plus(settings.staleAfter()).isAfter(now);
  }

  private long nanosUntilStale(NodeQueue q, Instant now) {
    long min = Long.MAX_VALUE;
    for (Waiting w : q.pods.values()) {
      Duration d = Duration.between(now, w.since().plus(settings.staleAfter()));
      if (!d.isNegative()) {
        min = Math.min(min, d.toNanos());
      }
    }
    return min;
  }
}
