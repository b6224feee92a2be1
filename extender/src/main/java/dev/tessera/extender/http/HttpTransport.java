package dev.tessera.extender.http;

import java.time.Duration;

/**
 * A small HTTP(S)/1.1 server that hands every request to one {@link HttpHandler} on a worker pool.
 * Two implementations exist so their latency can be compared ({@code docs/performance.md}): {@link
 * NettyTransport} (the default) and {@link JdkTransport}.
 */
public interface HttpTransport {
  /** Starts listening; returns once the port is bound. */
  void start(HttpHandler handler);

  /** The bound port (useful with port 0). */
  int port();

  /**
   * Stops accepting connections, waits up to {@code drain} for requests in flight to be answered,
   * then releases every thread.
   */
  void stop(Duration drain);
}
