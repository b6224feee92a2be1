package dev.tessera.extender.kube;

import dev.tessera.extender.state.Binder;
import dev.tessera.extender.state.ClusterState;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender's connection to a real cluster: informer-backed {@link ClusterState}, API-backed
 * {@link Binder} behind an {@link AllocationGate} (fed by the pod informer), HAMi's node handshake
 * round ({@link NodeHandshakes}), and leadership: always, following kube-scheduler's Lease ({@link
 * SchedulerLeaseFollower}, the sidecar deployment) or an own Lease election ({@link
 * LeaseLeaderElector}, a standalone extender Deployment). Only the leader binds, runs handshakes
 * and, when configured, labels the scheduler pods with their role ({@link SchedulerRoleLabels}).
 *
 * <p>Two API clients are used: informers watch through one without a read timeout, and every
 * request/response call (Binding, patches, the Lease) goes through one with finite timeouts, so a
 * call to an API server that stopped answering fails instead of blocking forever.
 */
public final class LiveCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveCluster.class);

  /** Default timeout of one API call (connect, read, write and whole call). */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How to connect.
   *
   * @param kubeconfig a kubeconfig file; empty: {@code $KUBECONFIG}, {@code ~/.kube/config} or the
   *     in-cluster service account, in client-java's order
   * @param gpuResource the count resource ({@code nvidia.com/gpu}), for the handshake check
   * @param leadership when this replica may bind and write ({@link Leadership#ALWAYS}, {@link
   *     FollowScheduler}, {@link Election})
   * @param roleLabels when present, the leader labels these scheduler pods with their role
   * @param gate the bind gate's timing ({@link AllocationGate.Settings#DEFAULTS} unless given)
   * @param callTimeout timeout of each API call other than watches; positive
   */
  public record Settings(
      Optional<Path> kubeconfig,
      String gpuResource,
      Leadership leadership,
      Optional<SchedulerRoleLabels.Target> roleLabels,
      AllocationGate.Settings gate,
      Duration callTimeout) {
    public Settings {
      Objects.requireNonNull(kubeconfig, "kubeconfig");
      Objects.requireNonNull(gpuResource, "gpuResource");
      Objects.requireNonNull(leadership, "leadership");
      Objects.requireNonNull(roleLabels, "roleLabels");
      Objects.requireNonNull(gate, "gate");
      Objects.requireNonNull(callTimeout, "callTimeout");
      if (callTimeout.isZero() || callTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "the API call timeout must be positive, got " + callTimeout);
      }
    }

    /** Settings with the bind gate's and call timeout's defaults and no role labels. */
    public Settings(
        Optional<Path> kubeconfig, String gpuResource, Optional<Election> leaderElection) {
      this(
          kubeconfig,
          gpuResource,
          leaderElection.<Leadership>map(e -> e).orElse(Leadership.ALWAYS),
          Optional.empty(),
          AllocationGate.Settings.DEFAULTS,
          DEFAULT_CALL_TIMEOUT);
    }
  }

  /** Which replica binds, runs node handshakes and labels scheduler pods. */
  public sealed interface Leadership permits Always, FollowScheduler, Election {
    /** No election: this replica always leads (one replica, or no HA). */
    Leadership ALWAYS = new Always();
  }

  /** This replica always leads. */
  public record Always() implements Leadership {}

  /**
   * Lead while this pod's kube-scheduler holds its Lease {@code namespace/name} (hami-compat §13).
   *
   * @param hostname this pod's host name, as kube-scheduler writes it before {@code _<uuid>}
   */
  public record FollowScheduler(String namespace, String name, String hostname)
      implements Leadership {
    public FollowScheduler {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(hostname, "hostname");
    }
  }

  /**
   * Leader election of the extender replicas among themselves over Lease {@code namespace/name} as
   * {@code identity}.
   *
   * @param identity this replica's holder identity, usually the pod name
   */
  public record Election(
      String namespace, String name, String identity, LeaseLeaderElector.Timing timing)
      implements Leadership {}

  /**
   * The two API clients.
   *
   * @param watch for informers: no read timeout, as watches stay open
   * @param calls for every other request: finite timeouts
   */
  public record Clients(ApiClient watch, ApiClient calls) {
    public Clients {
      Objects.requireNonNull(watch, "watch");
      Objects.requireNonNull(calls, "calls");
    }
  }

  private final Clients clients;
  private final InformerClusterState state;
  private final Binder binder;
  private final BooleanSupplier leading;
  private final List<AutoCloseable> leadershipParts;
  private final NodeHandshakes handshakes;

  private LiveCluster(
      Clients clients,
      InformerClusterState state,
      Binder binder,
      BooleanSupplier leading,
      List<AutoCloseable> leadershipParts,
      NodeHandshakes handshakes) {
    this.clients = clients;
    this.state = state;
    this.binder = binder;
    this.leading = leading;
    this.leadershipParts = leadershipParts;
    this.handshakes = handshakes;
  }

  /**
   * client-java clients for {@code kubeconfig} (or client-java's standard lookup): one with the
   * read timeout off for watches, one with connect, read, write and call timeouts of {@code
   * callTimeout}.
   *
   * @throws UncheckedIOException naming the kubeconfig when it cannot be read
   */
  public static Clients clients(Optional<Path> kubeconfig, Duration callTimeout) {
    ClientBuilder builder;
    try {
      if (kubeconfig.isPresent()) {
        try (Reader r = Files.newBufferedReader(kubeconfig.get())) {
          builder = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(r));
        }
      } else {
        builder = ClientBuilder.standard();
      }
      ApiClient watch = builder.build();
      watch.setHttpClient(watch.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
      ApiClient calls = builder.build();
      calls.setHttpClient(
          calls
              .getHttpClient()
              .newBuilder()
              .connectTimeout(callTimeout)
              .readTimeout(callTimeout)
              .writeTimeout(callTimeout)
              .callTimeout(callTimeout)
              .build());
      return new Clients(watch, calls);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "--kubeconfig "
              + kubeconfig.map(Path::toString).orElse("(standard lookup)")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Connects, starts the informers and the leadership parts; does not wait for sync. */
  public static LiveCluster connect(Settings settings, Clock clock) {
    return connect(clients(settings.kubeconfig(), settings.callTimeout()), settings, clock);
  }

  /** {@link #connect(Settings, Clock)} on given clients (tests, embedding). */
  public static LiveCluster connect(Clients clients, Settings settings, Clock clock) {
    var state = new InformerClusterState(clients.watch(), settings.gpuResource(), clock);
    var gate = new AllocationGate(settings.gate(), clock);
    state.attach(gate);
    state.start();
    Binder binder = new ApiBinder(clients.calls(), Optional.of(gate));
    var parts = new ArrayList<AutoCloseable>();
    BooleanSupplier leading;
    String self;
    Leadership mode = settings.leadership();
    if (mode instanceof FollowScheduler f) {
      var follower =
          new SchedulerLeaseFollower(clients.watch(), f.namespace(), f.name(), f.hostname(), clock);
      follower.start();
      parts.add(follower);
      leading = follower;
      self = f.hostname();
    } else if (mode instanceof Election e) {
      var elector =
          new LeaseLeaderElector(
              clients.calls(), e.namespace(), e.name(), e.identity(), e.timing(), clock);
      elector.start();
      parts.add(elector);
      leading = elector;
      self = e.identity();
    } else {
      leading = () -> true;
      self = "";
    }
    if (!(settings.leadership() instanceof Always)) {
      binder = new LeaderOnlyBinder(binder, leading, self);
    }
    if (settings.roleLabels().isPresent()) {
      var labels = new SchedulerRoleLabels(clients.calls(), settings.roleLabels().get(), leading);
      labels.start();
      // Closed before the elector, which releases the Lease last.
      parts.add(0, labels);
    }
    var handshakes =
        new NodeHandshakes(clients.calls(), state, leading, settings.gpuResource(), clock);
    handshakes.start();
    return new LiveCluster(clients, state, binder, leading, List.copyOf(parts), handshakes);
  }

  /** The informer-backed state. */
  public InformerClusterState state() {
    return state;
  }

  /** The binder: API-backed, refusing while not leader unless leadership is {@code ALWAYS}. */
  public Binder binder() {
    return binder;
  }

  /** True when this replica may bind (always, without leadership). */
  public boolean leading() {
    return leading.getAsBoolean();
  }

  /** The API client for calls (finite timeouts); informers use {@link Clients#watch}. */
  public ApiClient client() {
    return clients.calls();
  }

  /** Waits for the informers' first full list. */
  public void awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
    state.awaitReady(timeout);
  }

  /**
   * Stops the handshake round and the role labels, releases leadership (when elected) and stops the
   * informers.
   */
  @Override
  public void close() {
    handshakes.close();
    for (AutoCloseable part : leadershipParts) {
      try {
        part.close();
      } catch (Exception e) {
        // Closing one part must not keep the others (and the informers) running.
        LOG.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
    state.close();
  }
}
