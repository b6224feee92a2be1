package dev.tessera.extender.kube;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseList;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership taken from kube-scheduler's own Lease, as HAMi's extender does (hami-compat §13): this
 * process never writes the Lease; it watches it and counts as leader while the holder identity is
 * {@code <hostname>_<anything>} (kube-scheduler writes {@code <hostname>_<uuid>}) and the Lease has
 * not expired, i.e. now &lt; {@code renewTime + leaseDurationSeconds} on the injected clock.
 *
 * <p>This fits the sidecar deployment: kube-scheduler only ever calls the extender in its own pod
 * (urlPrefix {@code 127.0.0.1}), so the extender must lead exactly when its kube-scheduler does.
 * Both containers share the pod's clock, so comparing kube-scheduler's {@code renewTime} with this
 * process's clock is safe. A watch that stops delivering renewals ends leadership by itself when
 * the last renewal seen expires.
 *
 * <p>Unlike HAMi's plain prefix test, the host name must be followed by {@code _}, so the extender
 * in pod {@code sched-1} never takes {@code sched-10_…}'s leadership.
 */
public final class SchedulerLeaseFollower implements BooleanSupplier, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLeaseFollower.class);

  private final String namespace;
  private final String name;
  private final String hostname;
  private final Clock clock;
  private final SharedInformerFactory factory;
  private final SharedIndexInformer<V1Lease> informer;

  /**
   * A follower of Lease {@code namespace/name}; call {@link #start}.
   *
   * @param watchClient a client whose read timeout is off, as watches need
   * @param hostname this pod's host name, the prefix kube-scheduler writes in the holder identity
   */
  public SchedulerLeaseFollower(
      ApiClient watchClient, String namespace, String name, String hostname, Clock clock) {
    Objects.requireNonNull(watchClient, "watchClient");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
    this.hostname = Objects.requireNonNull(hostname, "hostname");
    if (hostname.isEmpty()) {
      throw new IllegalArgumentException(
          "following kube-scheduler's Lease needs this pod's host name, got an empty one");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.factory = new SharedInformerFactory(watchClient);
    this.informer =
        factory.sharedIndexInformerFor(
            new GenericKubernetesApi<>(
                V1Lease.class,
                V1LeaseList.class,
                "coordination.k8s.io",
                "v1",
                "leases",
                watchClient),
            V1Lease.class,
            0,
            namespace);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(V1Lease l) {
            changed(null, l);
          }

          @Override
          public void onUpdate(V1Lease old, V1Lease l) {
            changed(old, l);
          }

          @Override
          public void onDelete(V1Lease l, boolean finalStateUnknown) {
            if (name.equals(l.getMetadata().getName())) {
              LOG.info("lease {}/{} deleted: this extender follows", namespace, name);
            }
          }
        });
  }

  /** Starts watching the Lease in the background. */
  public void start() {
    factory.startAllRegisteredInformers();
  }

  /**
   * True while the Lease's holder is this pod's kube-scheduler ({@code <hostname>_…}) and now is
   * before {@code renewTime + leaseDurationSeconds}; false while the Lease is unknown or
   * unreadable.
   */
  public boolean isLeader() {
    V1Lease lease = informer.getIndexer().getByKey(namespace + "/" + name);
    return lease != null && leads(lease.getSpec());
  }

  @Override
  public boolean getAsBoolean() {
    return isLeader();
  }

  /** The host name this follower looks for in the holder identity. */
  public String hostname() {
    return hostname;
  }

  @Override
  public void close() {
    factory.stopAllRegisteredInformers();
  }

  private boolean leads(V1LeaseSpec spec) {
    if (spec == null
        || spec.getHolderIdentity() == null
        || !spec.getHolderIdentity().startsWith(hostname + "_")
        || spec.getRenewTime() == null
        || spec.getLeaseDurationSeconds() == null) {
      return false;
    }
    Instant expires = spec.getRenewTime().toInstant().plusSeconds(spec.getLeaseDurationSeconds());
    return clock.instant().isBefore(expires);
  }

  private void changed(V1Lease old, V1Lease lease) {
    if (!name.equals(lease.getMetadata().getName())) {
      return;
    }
    String before = old == null || old.getSpec() == null ? null : old.getSpec().getHolderIdentity();
    String now = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    if (!Objects.equals(before, now)) {
      LOG.info(
          "lease {}/{} held by {}: this extender {}",
          namespace,
          name,
          now,
          now != null && now.startsWith(hostname + "_") ? "leads" : "follows");
    }
  }
}
