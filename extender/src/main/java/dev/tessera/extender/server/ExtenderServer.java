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
import dev.tessera.extender.wire.WireJson;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running extender: the verbs over a {@link ClusterState} and {@link Binder}, served over HTTP,
 * with metrics and the reservation sweeper. {@link #stop} drains requests in flight first.
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

  private final Extender extender;
  private final ExtenderMetrics metrics;
  private final HttpTransport transport;
  private final Settings settings;
  private final ScheduledExecutorService sweeper;

  private ExtenderServer(
      Extender extender,
      ExtenderMetrics metrics,
      HttpTransport transport,
      Settings settings,
      ScheduledExecutorService sweeper) {
    this.extender = extender;
    this.metrics = metrics;
    this.transport = transport;
    this.settings = settings;
    this.sweeper = sweeper;
  }

  /** Starts serving; returns once the port is bound. */
  public static ExtenderServer start(
      ClusterState state, Binder binder, NodeRanking ranking, Settings settings, Clock clock) {
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
            clock);
    var routes =
        new ExtenderRoutes(extender, metrics, new WireJson(), settings.prefix(), state::ready);
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
    return new ExtenderServer(extender, metrics, transport, settings, sweeper);
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

  /** Stops accepting requests, lets those in flight finish (up to {@code drain}), then stops. */
  public void stop(Duration drain) {
    LOG.info("extender stopping: draining requests in flight (up to {})", drain);
    transport.stop(drain);
    sweeper.shutdownNow();
    LOG.info("extender stopped");
  }
}
