package dev.tessera.extender.state;

import dev.tessera.extender.wire.KubePod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods the extender assumed in bind and is waiting to see bound: instead of HAMi's five-minute node
 * lock, each booking is optimistic and lives until the pod shows up bound to the node (confirmed),
 * the pod disappears, or {@code timeout} passes (then the booking is forgotten, freeing its GPUs).
 * {@link #sweep} does the checking; the server calls it periodically.
 *
 * <p>Callers record a reservation <em>before</em> the snapshot update that books the pod ({@link
 * #add}, {@link #hold}), and {@link #forget} removes a booking only while no reservation for the
 * pod is pending (checked inside the snapshot update). Together these close the race in which a
 * sweep, finding an expired hold, would forget the fresh booking of a bind that replaced it: either
 * the sweep's forget runs first (and the bind's update books again after it), or the bind's
 * reservation is already there and the forget leaves the booking alone.
 */
public final class Reservations {
  private static final Logger LOG = LoggerFactory.getLogger(Reservations.class);

  /**
   * One assumed pod.
   *
   * @param namespace pod namespace
   * @param name pod name
   * @param node the node it was assumed on
   * @param deadline when the booking is dropped unless the pod is bound by then
   */
  public record Reservation(String namespace, String name, String node, Instant deadline) {
    String key() {
      return namespace + "/" + name;
    }
  }

  /** Puts back the reservation a call replaced, when the booking it was for did not happen. */
  @FunctionalInterface
  public interface Undo {
    /** Restores the previous reservation (or none) unless another one replaced ours meanwhile. */
    void run();
  }

  private final ClusterState state;
  private final Clock clock;
  private final Duration timeout;
  private final Map<String, Reservation> pending = new ConcurrentHashMap<>();

  public Reservations(ClusterState state, Clock clock, Duration timeout) {
    this.state = state;
    this.clock = clock;
    this.timeout = timeout;
  }

  /**
   * Starts waiting for {@code pod} to be bound to {@code node}; call before the snapshot update
   * that books it.
   *
   * @return puts back the reservation this one replaced, for when the booking does not happen
   */
  public Undo add(KubePod pod, String node) {
    return put(new Reservation(pod.namespace(), pod.name(), node, clock.instant().plus(timeout)));
  }

  /**
   * Starts waiting, for {@code ttl} only, for {@code pod} to be bound to {@code node}: a tentative
   * booking made before bind; the bind replaces it. Call before the snapshot update that books it.
   *
   * @return puts back the reservation this one replaced, for when the booking does not happen
   */
  public Undo hold(KubePod pod, String node, Duration ttl) {
    return put(new Reservation(pod.namespace(), pod.name(), node, clock.instant().plus(ttl)));
  }

  private Undo put(Reservation mine) {
    Reservation before = pending.put(mine.key(), mine);
    return () -> pending.compute(mine.key(), (k, now) -> now == mine ? before : now);
  }

  /** Forgets the pod's booking now (bind failed) and stops waiting for it. */
  public void release(String podKey, String node) {
    pending.remove(podKey);
    forget(podKey, node);
  }

  /** How many bookings are still waiting for their pod to show up bound. */
  public int pending() {
    return pending.size();
  }

  /**
   * Confirms bookings whose pod is bound to the node and forgets those whose pod is gone or whose
   * deadline passed.
   *
   * @return how many bookings were forgotten
   */
  public int sweep() {
    Instant now = clock.instant();
    int forgotten = 0;
    for (Reservation r : pending.values()) {
      Optional<KubePod> pod = state.pod(r.namespace(), r.name());
      if (pod.isPresent() && r.node().equals(pod.get().nodeName())) {
        pending.remove(r.key(), r);
      } else if (pod.isEmpty() || now.isAfter(r.deadline())) {
        if (pending.remove(r.key(), r)) {
          LOG.warn(
              "pod {}: forgetting its booking on node {}: {}",
              r.key(),
              r.node(),
              pod.isEmpty() ? "the pod no longer exists" : "not bound within " + timeout);
          forget(r.key(), r.node());
          forgotten++;
        }
      }
    }
    return forgotten;
  }

  private void forget(String podKey, String node) {
    // Only our own booking: the pod may meanwhile have been placed elsewhere by a newer bind, or
    // booked again by a bind whose reservation is pending (it was recorded before its update).
    state.update(
        s ->
            !pending.containsKey(podKey) && s.nodeOf(podKey).filter(node::equals).isPresent()
                ? s.forget(podKey)
                : s);
  }
}
