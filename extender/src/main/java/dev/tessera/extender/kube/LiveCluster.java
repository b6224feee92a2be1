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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The extender's connection to a real cluster: informer-backed {@link ClusterState}, API-backed
 * {@link Binder} behind an {@link AllocationGate} (fed by the pod informer), HAMi's node handshake
 * round ({@link NodeHandshakes}) and, optionally, Lease leader election so that only one replica
 * binds and registers nodes.
 */
public final class LiveCluster implements AutoCloseable {
  /**
   * How to connect.
   *
   * @param kubeconfig a kubeconfig file; empty: {@code $KUBECONFIG}, {@code ~/.kube/config} or the
   *     in-cluster service account, in client-java's order
   * @param gpuResource the count resource ({@code nvidia.com/gpu}), for the handshake check
   * @param leaderElection empty: this replica always binds
   * @param gate the bind gate's timing ({@link AllocationGate.Settings#DEFAULTS} unless given)
   */
  public record Settings(
      Optional<Path> kubeconfig,
      String gpuResource,
      Optional<Election> leaderElection,
      AllocationGate.Settings gate) {
    public Settings {
      Objects.requireNonNull(kubeconfig, "kubeconfig");
      Objects.requireNonNull(gpuResource, "gpuResource");
      Objects.requireNonNull(leaderElection, "leaderElection");
      Objects.requireNonNull(gate, "gate");
    }

    /** Settings with the bind gate's defaults. */
    public Settings(
        Optional<Path> kubeconfig, String gpuResource, Optional<Election> leaderElection) {
      this(kubeconfig, gpuResource, leaderElection, AllocationGate.Settings.DEFAULTS);
    }
  }

  /**
   * Leader election over Lease {@code namespace/name} as {@code identity}.
   *
   * @param identity this replica's holder identity, usually the pod name
   */
  public record Election(
      String namespace, String name, String identity, LeaseLeaderElector.Timing timing) {}

  private final ApiClient client;
  private final InformerClusterState state;
  private final Binder binder;
  private final Optional<LeaseLeaderElector> elector;
  private final NodeHandshakes handshakes;

  private LiveCluster(
      ApiClient client,
      InformerClusterState state,
      Binder binder,
      Optional<LeaseLeaderElector> elector,
      NodeHandshakes handshakes) {
    this.client = client;
    this.state = state;
    this.binder = binder;
    this.elector = elector;
    this.handshakes = handshakes;
  }

  /**
   * A client-java client for {@code kubeconfig} (or client-java's standard lookup) with the read
   * timeout off, as long-running watches need.
   *
   * @throws UncheckedIOException naming the kubeconfig when it cannot be read
   */
  public static ApiClient client(Optional<Path> kubeconfig) {
    ApiClient c;
    try {
      if (kubeconfig.isPresent()) {
        try (Reader r = Files.newBufferedReader(kubeconfig.get())) {
          c = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(r)).build();
        }
      } else {
        c = ClientBuilder.standard().build();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "--kubeconfig "
              + kubeconfig.map(Path::toString).orElse("(standard lookup)")
              + ": "
              + e.getMessage(),
          e);
    }
    c.setHttpClient(c.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    return c;
  }

  /** Connects, starts the informers and, if configured, the election; does not wait for sync. */
  public static LiveCluster connect(Settings settings, Clock clock) {
    return connect(client(settings.kubeconfig()), settings, clock);
  }

  /** {@link #connect(Settings, Clock)} on a given client (tests, embedding). */
  public static LiveCluster connect(ApiClient client, Settings settings, Clock clock) {
    var state = new InformerClusterState(client, settings.gpuResource(), clock);
    var gate = new AllocationGate(settings.gate(), clock);
    state.attach(gate);
    state.start();
    Binder binder = new ApiBinder(client, Optional.of(gate));
    Optional<LeaseLeaderElector> elector = Optional.empty();
    if (settings.leaderElection().isPresent()) {
      Election e = settings.leaderElection().get();
      var le =
          new LeaseLeaderElector(client, e.namespace(), e.name(), e.identity(), e.timing(), clock);
      le.start();
      binder = new LeaderOnlyBinder(binder, le::isLeader, e.identity());
      elector = Optional.of(le);
    }
    java.util.function.BooleanSupplier leading =
        elector.isPresent() ? elector.get()::isLeader : () -> true;
    var handshakes = new NodeHandshakes(client, state, leading, settings.gpuResource(), clock);
    handshakes.start();
    return new LiveCluster(client, state, binder, elector, handshakes);
  }

  /** The informer-backed state. */
  public InformerClusterState state() {
    return state;
  }

  /** The binder: API-backed, refusing while not leader when leader election is on. */
  public Binder binder() {
    return binder;
  }

  /** True when this replica may bind (always, without leader election). */
  public boolean leading() {
    return elector.map(LeaseLeaderElector::isLeader).orElse(true);
  }

  /** The API client in use. */
  public ApiClient client() {
    return client;
  }

  /** Waits for the informers' first full list. */
  public void awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
    state.awaitReady(timeout);
  }

  /** Stops the handshake round, releases leadership (when held) and stops the informers. */
  @Override
  public void close() {
    handshakes.close();
    elector.ifPresent(LeaseLeaderElector::close);
    state.close();
  }
}
