package dev.tessera.extender.kube;

import dev.tessera.extender.state.BindException;
import dev.tessera.extender.state.Binder;
import dev.tessera.extender.wire.KubePod;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A {@link Binder} that writes only while this replica leads: a standby refuses with a message
 * kube-scheduler shows in the pod's events. kube-scheduler does not look for another extender; it
 * retries the pod against the same URL, so the deployment must make that URL reach the leader: the
 * sidecar follows its own kube-scheduler's Lease ({@link SchedulerLeaseFollower}), and a standalone
 * Deployment is reached through a Service selecting the pod labelled leader ({@link
 * SchedulerRoleLabels}).
 */
public final class LeaderOnlyBinder implements Binder {
  private final Binder delegate;
  private final BooleanSupplier leader;
  private final String identity;

  /**
   * @param leader true while this replica leads ({@link SchedulerLeaseFollower}, {@link
   *     LeaseLeaderElector})
   * @param identity this replica's name, for the refusal message
   */
  public LeaderOnlyBinder(Binder delegate, BooleanSupplier leader, String identity) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.leader = Objects.requireNonNull(leader, "leader");
    this.identity = Objects.requireNonNull(identity, "identity");
  }

  @Override
  public void annotate(KubePod pod, Map<String, String> annotations, Map<String, String> labels) {
    check(pod);
    delegate.annotate(pod, annotations, labels);
  }

  @Override
  public void bind(KubePod pod, String node) {
    check(pod);
    delegate.bind(pod, node);
  }

  private void check(KubePod pod) {
    if (!leader.getAsBoolean()) {
      throw new BindException(
          "pod "
              + pod.key()
              + ": replica "
              + identity
              + " is not the leader; only the leader binds");
    }
  }
}
