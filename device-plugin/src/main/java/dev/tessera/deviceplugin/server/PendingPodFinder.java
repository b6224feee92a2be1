package dev.tessera.deviceplugin.server;

import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeLockValue;
import dev.tessera.engine.codec.PendingAllocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the pod a kubelet Allocate call serves (hami-compat §8.3 step 1), without HAMi's guess: the
 * node lock's holder when it still waits for devices; otherwise the single pending pod of the node
 * that the scheduler bound here. Several such pods are narrowed by the device counts kubelet asks
 * for; if that still leaves more than one, the lookup fails rather than pick the first.
 */
public final class PendingPodFinder {
  /** Bind phases in which a pod may still be allocating. */
  public static final Set<String> WAITING_PHASES = PendingAllocation.WAITING_PHASES;

  private final PodSource pods;

  public PendingPodFinder(PodSource pods) {
    this.pods = Objects.requireNonNull(pods);
  }

  /**
   * The pod kubelet is allocating for on {@code nodeName}.
   *
   * @param deviceCounts how many device IDs kubelet passes per container request, in call order
   * @throws PodLookupException when no pod, or more than one, fits; or the lock is unusable
   */
  public PodInfo find(String nodeName, List<Integer> deviceCounts) {
    Optional<String> lock = pods.nodeLock(nodeName);
    if (lock.isPresent()) {
      Optional<PodInfo> holder = lockHolder(nodeName, lock.get());
      if (holder.isPresent() && waiting(holder.get(), nodeName)) {
        return holder.get();
      }
      // The lock may belong to another vendor's allocation: fall back to the pod list.
    }
    var all = pods.podsOnNode(nodeName);
    var candidates = all.stream().filter(p -> waiting(p, nodeName)).toList();
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    if (candidates.isEmpty()) {
      throw new PodLookupException(
          PodLookupException.Kind.MISSING,
          "no pending pod on node "
              + nodeName
              + " is waiting for GPUs (checked "
              + all.size()
              + " pod(s)): expected a Pending pod with "
              + Annotations.VGPU_NODE
              + "="
              + nodeName
              + ", "
              + Annotations.BIND_PHASE
              + " allocating or success, "
              + Annotations.BIND_TIME
              + " and unserved entries in "
              + Annotations.DEVICES_TO_ALLOCATE,
          List.of());
    }
    var fitting = candidates.stream().filter(p -> fits(p, deviceCounts)).toList();
    if (fitting.size() == 1) {
      return fitting.get(0);
    }
    var ambiguous = fitting.isEmpty() ? candidates : fitting;
    throw new PodLookupException(
        PodLookupException.Kind.AMBIGUOUS,
        "cannot tell which pod kubelet is allocating "
            + deviceCounts
            + " device(s) for on node "
            + nodeName
            + ": "
            + ambiguous.size()
            + " pending pods wait for GPUs ("
            + String.join(", ", ambiguous.stream().map(PodInfo::display).toList())
            + ") and none holds the node lock; refusing to guess",
        ambiguous);
  }

  private Optional<PodInfo> lockHolder(String nodeName, String value) {
    NodeLockValue decoded;
    try {
      decoded = NodeLockValue.decode(value);
    } catch (AnnotationDecodeException e) {
      throw new PodLookupException(
          PodLookupException.Kind.BAD_LOCK,
          "node "
              + nodeName
              + " has an unreadable "
              + Annotations.NODE_LOCK
              + ": "
              + e.getMessage(),
          List.of());
    }
    if (decoded.holder().isEmpty()) {
      return Optional.empty();
    }
    var ref = decoded.holder().get();
    var pod = pods.pod(ref);
    if (pod.isEmpty()) {
      throw new PodLookupException(
          PodLookupException.Kind.BAD_LOCK,
          "node "
              + nodeName
              + " is locked by pod "
              + ref.namespace()
              + "/"
              + ref.name()
              + " ("
              + Annotations.NODE_LOCK
              + "="
              + value
              + "), which does not exist",
          List.of());
    }
    return pod;
  }

  /** Whether the scheduler bound {@code pod} to this node and it still has unserved entries. */
  static boolean waiting(PodInfo pod, String nodeName) {
    return PendingAllocation.waiting(pod.phase(), pod.spec().annotations(), nodeName);
  }

  private static boolean fits(PodInfo pod, List<Integer> deviceCounts) {
    return PendingAllocation.pendingCounts(
            pod.spec().annotations().get(Annotations.DEVICES_TO_ALLOCATE))
        .map(c -> PendingAllocation.fits(c, deviceCounts))
        .orElse(false);
  }
}
