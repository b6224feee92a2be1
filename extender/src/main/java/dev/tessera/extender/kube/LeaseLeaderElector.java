package dev.tessera.extender.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election over a {@code coordination.k8s.io/v1} Lease, with client-go's semantics: every
 * {@code retryPeriod} the candidate reads the Lease and takes it when it is free, released, or not
 * renewed for {@code leaseDuration} (measured on this process's clock from when the record last
 * changed, so clock skew between replicas does not matter); the holder renews it. Writes carry the
 * resourceVersion, so two candidates can never both win the same record.
 *
 * <p>{@link #isLeader} is computed when asked: true only until {@code renewDeadline} after the
 * start of the last successful acquire or renew, on the injected clock. A renewal that hangs (a
 * dead connection, an API server that stopped answering) therefore ends leadership on time even
 * though the loop thread is still blocked, and since {@code renewDeadline < leaseDuration} this
 * replica stops binding before any other replica may take the Lease. Give the elector a client with
 * finite timeouts ({@link LiveCluster#clients}) so that the loop recovers too. {@link #close}
 * releases a held Lease so a standby takes over within one retry period.
 *
 * <p>client-java's own {@code LeaderElector} lives in {@code client-java-extended}, which is not
 * published for client-java 27 (its last release is 25.0.0); this is the same algorithm on
 * client-java 27's {@link CoordinationV1Api}.
 */
public final class LeaseLeaderElector implements BooleanSupplier, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseLeaderElector.class);

  /**
   * Timing of the election.
   *
   * @param leaseDuration how long a Lease not renewed keeps others out
   * @param renewDeadline how long the holder keeps leading without a successful renewal; shorter
   *     than {@code leaseDuration}
   * @param retryPeriod how often candidates try and holders renew
   */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    /** kube-scheduler's defaults: 15 s, 10 s, 2 s. */
    public static final Timing DEFAULTS =
        new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

    public Timing {
      if (renewDeadline.compareTo(leaseDuration) >= 0
          || retryPeriod.compareTo(renewDeadline) >= 0) {
        throw new IllegalArgumentException(
            "leader election needs retryPeriod < renewDeadline < leaseDuration, got "
                + retryPeriod
                + ", "
                + renewDeadline
                + ", "
                + leaseDuration);
      }
    }
  }

  private final CoordinationV1Api api;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Timing timing;
  private final Clock clock;
  private final ScheduledExecutorService loop;

  // Written only by the loop thread; the two volatiles are read anywhere.
  private volatile boolean leader;
  private volatile Instant lastRenew = Instant.MIN;
  private String observedRecord = "";
  private Instant observedAt = Instant.MIN;

  public LeaseLeaderElector(
      ApiClient client,
      String namespace,
      String name,
      String identity,
      Timing timing,
      Clock clock) {
    this.api = new CoordinationV1Api(Objects.requireNonNull(client, "client"));
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "leader-election-" + identity);
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts campaigning in the background. */
  public void start() {
    loop.scheduleWithFixedDelay(
        this::round, 0, timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * True while this process holds the Lease: its last acquire or renew succeeded, and now (on the
   * injected clock) is less than {@code renewDeadline} after that attempt started.
   */
  public boolean isLeader() {
    return leader && clock.instant().isBefore(lastRenew.plus(timing.renewDeadline()));
  }

  @Override
  public boolean getAsBoolean() {
    return isLeader();
  }

  /** This candidate's holder identity. */
  public String identity() {
    return identity;
  }

  /** Stops campaigning and, when leading, releases the Lease (holder cleared). */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (leader) {
      leader = false;
      try {
        V1Lease lease = api.readNamespacedLease(name, namespace).execute();
        if (lease.getSpec() != null && identity.equals(lease.getSpec().getHolderIdentity())) {
          lease.getSpec().holderIdentity(null).leaseDurationSeconds(1).renewTime(now());
          api.replaceNamespacedLease(name, namespace, lease).execute();
          LOG.info("{} released lease {}/{}", identity, namespace, name);
        }
      } catch (ApiException e) {
        LOG.warn(
            "{}: releasing lease {}/{} failed: HTTP {}", identity, namespace, name, e.getCode());
      }
    }
  }

  private void round() {
    // The attempt's start, not its end, bounds leadership: the record written carries this time
    // and other replicas count the lease duration from when they saw it, never earlier.
    Instant started = clock.instant();
    boolean ok;
    try {
      ok = tryAcquireOrRenew();
    } catch (ApiException e) {
      LOG.debug("{}: lease {}/{}: HTTP {}", identity, namespace, name, e.getCode());
      ok = false;
    } catch (RuntimeException e) {
      LOG.warn("{}: lease {}/{}: {}", identity, namespace, name, e.toString());
      ok = false;
    }
    if (ok) {
      lastRenew = started;
      if (!leader) {
        LOG.info("{} became leader (lease {}/{})", identity, namespace, name);
      }
      leader = true;
    } else if (leader && !clock.instant().isBefore(lastRenew.plus(timing.renewDeadline()))) {
      LOG.warn("{} lost leadership: lease not renewed for {}", identity, timing.renewDeadline());
      leader = false;
    }
  }

  private boolean tryAcquireOrRenew() throws ApiException {
    OffsetDateTime now = now();
    V1Lease lease;
    try {
      lease = api.readNamespacedLease(name, namespace).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      V1Lease fresh =
          new V1Lease()
              .metadata(new V1ObjectMeta().name(name).namespace(namespace))
              .spec(
                  new V1LeaseSpec()
                      .holderIdentity(identity)
                      .leaseDurationSeconds((int) timing.leaseDuration().toSeconds())
                      .acquireTime(now)
                      .renewTime(now)
                      .leaseTransitions(0));
      try {
        api.createNamespacedLease(namespace, fresh).execute();
        return true;
      } catch (ApiException c) {
        if (c.getCode() == 409) {
          return false; // another candidate created it first
        }
        throw c;
      }
    }
    V1LeaseSpec spec = lease.getSpec() == null ? new V1LeaseSpec() : lease.getSpec();
    String holder = spec.getHolderIdentity() == null ? "" : spec.getHolderIdentity();
    String record = holder + "|" + spec.getRenewTime() + "|" + spec.getLeaseDurationSeconds();
    Instant local = clock.instant();
    if (!record.equals(observedRecord)) {
      observedRecord = record;
      observedAt = local;
    }
    int durationS =
        spec.getLeaseDurationSeconds() == null
            ? (int) timing.leaseDuration().toSeconds()
            : spec.getLeaseDurationSeconds();
    boolean held = !holder.isEmpty() && !holder.equals(identity);
    if (held && local.isBefore(observedAt.plusSeconds(durationS))) {
      return false;
    }
    if (!holder.equals(identity)) {
      spec.acquireTime(now)
          .leaseTransitions(
              (spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions())
                  + (holder.isEmpty() ? 0 : 1));
    }
    spec.holderIdentity(identity)
        .leaseDurationSeconds((int) timing.leaseDuration().toSeconds())
        .renewTime(now);
    lease.spec(spec);
    try {
      // The resourceVersion read above makes this a compare-and-swap.
      api.replaceNamespacedLease(name, namespace, lease).execute();
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
