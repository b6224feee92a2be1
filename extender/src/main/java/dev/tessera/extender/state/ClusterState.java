package dev.tessera.extender.state;

import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.wire.KubePod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What the extender knows about the cluster: the engine snapshot (nodes, placed pods and device
 * usage, including pods the extender assumed but the API server does not show yet) and the pods
 * themselves. Implementations: {@link InMemoryCluster} (files, tests) and the informer-backed one
 * that follows the API server.
 *
 * <p>All changes to the snapshot go through {@link #update}, an atomic compare-and-swap of an
 * immutable {@link ClusterSnapshot}, so a bind that decides and assumes in one {@code update} can
 * never book a GPU share that a concurrent bind booked first. Implementations that follow an API
 * server apply each node or pod event through {@code update} as well, starting from the current
 * snapshot, so that pods the extender assumed (and the API server does not show yet) stay booked
 * until {@link Reservations} confirms or forgets them.
 */
public interface ClusterState {
  /** The current snapshot; never null. Cheap: callers may read it per request. */
  ClusterSnapshot snapshot();

  /**
   * Atomically replaces the snapshot with {@code change.apply(current)}. {@code change} may run
   * more than once when another update wins the race, so it must be free of side effects.
   *
   * @return the snapshot that was installed
   */
  ClusterSnapshot update(UnaryOperator<ClusterSnapshot> change);

  /** The pod as the cluster has it now; empty when it does not exist (or is not known yet). */
  Optional<KubePod> pod(String namespace, String name);

  /**
   * A pod that arrived in a scheduler request. Implementations without an API server record it so
   * that a later bind (which only names the pod) finds it; informer-backed ones ignore it.
   */
  default void observe(KubePod pod) {}

  /**
   * Registers the state's own health metrics (objects it had to leave out, rebuilds) with the
   * registry {@code /metrics} serves; states with nothing to report register nothing.
   */
  default void registerMetrics(PrometheusRegistry registry) {}

  /**
   * The ResourceQuota limits this state follows (hami-compat §9); the same object for the state's
   * lifetime. States that follow no quotas return an empty set no one feeds.
   */
  default QuotaLimits quotas() {
    return new QuotaLimits();
  }

  /** True once the state reflects the cluster (informers synced); {@code /readyz} reports it. */
  default boolean ready() {
    return true;
  }
}
