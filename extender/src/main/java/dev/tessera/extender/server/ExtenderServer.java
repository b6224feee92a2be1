package dev.tessera.extender.server;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.core.NodeRanking;
import dev.tessera.extender.http.ExtenderRoutes;
import dev.tessera.extender.http.HttpTransport;
import dev.tessera.extender.http.JdkTransport;
import dev.tessera.extender.http.NettyTransport;
import dev.tessera.extender.http.TransportSettings;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.state.Binder;
import dev.tessera.extender.state.ClusterState;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.state.ShutdownSignal;
import dev.tessera.extender.wire.WireJson;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running extender: the verbs over a {@link ClusterState} and {@link Binder}, served over HTTP,
 * with metrics and the reservation sweeper. {@link #stop(Duration, Duration)} first turns {@code
 * /readyz} to 503 while still serving (so Services and load balancers stop sending), then tells
 * waiting binds to give up, then drains requests in flight.
 */
public final class ExtenderServer {
  private static final Logger LOG = LoggerFactory.getLogger(ExtenderServer.class);

  /** Which HTTP library serves; see docs/performance.md for the comparison. */
  public enum Transport {
    NETTY,
    JDK;

    /** {@code netty} / {@code jdk}, case-insensitive. */
    public static Transport parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown HTTP server \"" + s + "\"; known: netty, jdk");
      }
    }
  }

  /**
   * How the server runs.
   *
   * @param transport HTTP library
   * @param http where to listen
   * @param prefix path prefix of the verbs ({@code urlPrefix}'s path part)
   * @param config HAMi device config (resource names, defaults)
   * @param options default node and GPU policies
   * @param assumeTimeout how long a bind's booking waits for the pod to show up bound
   * @param sweepEvery how often bookings are checked
   */
  public record Settings(
      Transport transport,
      TransportSettings http,
      String prefix,
      DeviceConfig config,
      Engine.Options options,
      Duration assumeTimeout,
      Duration sweepEvery) {}

  /**
   * What the live cluster adds to a server.
   *
   * @param leading true while this replica may bind; binds are refused without booking otherwise
   * @param shutdown stopped by {@link #stop} once the shutdown delay passed, so that binds waiting
   *     in the allocation gate or for the node lock give up before the drain
   */
  public record Hooks(BooleanSupplier leading, ShutdownSignal shutdown) {
    public Hooks {
      Objects.requireNonNull(leading, "leading");
      Objects.requireNonNull(shutdown, "shutdown");
    }

    /** Always leading, with a signal of its own. */
    public static Hooks standalone() {
      return new Hooks(() -> true, new ShutdownSignal());
    }
  }

  private final Extender extender;
  private final ExtenderMetrics metrics;
  private final ShutdownSignal shutdown;
  private volatile boolean stopping;
  private final HttpTransport transport;
  private final Settings settings;
  private final ScheduledExecutorService sweeper;

  private ExtenderServer(
      Extender extender,
      ExtenderMetrics metrics,
      HttpTransport transport,
      Settings settings,
      ScheduledExecutorService sweeper,
      ShutdownSignal shutdown) {
    this.shutdown = shutdown;
    this.extender = extender;
    this.metrics = metrics;
    this.transport = transport;
    this.settings = settings;
    this.sweeper = sweeper;
  }

  /** Starts serving, always leading; returns once the port is bound. */
  public static ExtenderServer start(
      ClusterState state, Binder binder, NodeRanking ranking, Settings settings, Clock clock) {
    return start(state, binder, ranking, settings, clock, Hooks.standalone());
  }

  /** Starts serving with the live cluster's {@code hooks}; returns once the port is bound. */
  public static ExtenderServer start(
      ClusterState state,
      Binder binder,
      NodeRanking ranking,
      Settings settings,
      Clock clock,
      Hooks hooks) {
    var metrics = new ExtenderMetrics(state::snapshot);
    state.registerMetrics(metrics.registry());
    var reservations = new Reservations(state, clock, settings.assumeTimeout());
    var extender =
        new Extender(
            state,
            binder,
            ranking,
            settings.config(),
            settings.options(),
            reservations,
            metrics,
            clock,
            hooks.leading());
    extender.quotas().registerMetrics(metrics.registry(), state::snapshot);
    var server = new ExtenderServer[1];
    var routes =
        new ExtenderRoutes(
            extender,
            metrics,
            new WireJson(),
            settings.prefix(),
            () -> server[0] != null && !server[0].stopping && state.ready());
    HttpTransport transport =
        settings.transport() == Transport.JDK
            ? new JdkTransport(settings.http())
            : new NettyTransport(settings.http());
    transport.start(routes);
    ScheduledExecutorService sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "extender-reservations");
              t.setDaemon(true);
              return t;
            });
    long every = settings.sweepEvery().toMillis();
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            reservations.sweep();
          } catch (RuntimeException e) {
            LOG.error("reservation sweep failed", e);
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    LOG.info(
        "extender serving on {}://{}:{}{} (http={}, policy={})",
        settings.http().tls() ? "https" : "http",
        settings.http().host(),
        transport.port(),
        settings.prefix(),
        settings.transport().name().toLowerCase(Locale.ROOT),
        ranking.name());
    server[0] =
        new ExtenderServer(extender, metrics, transport, settings, sweeper, hooks.shutdown());
    return server[0];
  }

  public int port() {
    return transport.port();
  }

  public Extender extender() {
    return extender;
  }

  public ExtenderMetrics metrics() {
    return metrics;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Turns {@code /readyz} to 503 while every verb is still answered: the first step of a graceful
   * stop, so that endpoints drop this replica before its listener closes.
   */
  public void unready() {
    if (!stopping) {
      stopping = true;
      LOG.info("extender stopping: /readyz now answers 503");
    }
  }

  /** True once {@link #unready} (or a stop) ran. */
  public boolean stopping() {
    return stopping;
  }

  /**
   * Stops gracefully: {@link #unready}, keeps serving for {@code delay} (endpoints and load
   * balancers notice the 503 meanwhile), tells binds waiting in the allocation gate or for the node
   * lock to give up (they answer an error kube-scheduler retries), then stops accepting and lets
   * requests in flight finish for up to {@code drain}.
   */
  public void stop(Duration delay, Duration drain) {
    unready();
    if (!delay.isNegative() && !delay.isZero()) {
      LOG.info("extender stopping: still serving for {} before the drain", delay);
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stop(drain);
  }

  /**
   * Stops at once (no delay): waiting binds give up, requests in flight get up to {@code drain},
   * then the server stops.
   */
  public void stop(Duration drain) {
    unready();
    shutdown.stop();
    LOG.info("extender stopping: draining requests in flight (up to {})", drain);
    transport.stop(drain);
    sweeper.shutdownNow();
    LOG.info("extender stopped");
  }
}
