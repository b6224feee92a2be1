package dev.tessera.extender.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tessera.extender.tls.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** {@link HttpTransport} on the JDK's built-in {@code com.sun.net.httpserver}. */
public final class JdkTransport implements HttpTransport {
  private final TransportSettings settings;
  private final InFlight inFlight = new InFlight();
  private volatile boolean draining;
  private HttpServer server;
  private ExecutorService pool;

  public JdkTransport(TransportSettings settings) {
    this.settings = settings;
  }

  @Override
  public void start(HttpHandler handler) {
    try {
      var addr = new InetSocketAddress(settings.host(), settings.port());
      if (settings.tls()) {
        HttpsServer https = HttpsServer.create(addr, 1024);
        https.setHttpsConfigurator(
            new HttpsConfigurator(
                TlsMaterial.fromPem(
                        settings.tlsCert().orElseThrow(), settings.tlsKey().orElseThrow())
                    .serverContext()));
        server = https;
      } else {
        server = HttpServer.create(addr, 1024);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    pool = Workers.pool("extender-http", settings.workers());
    server.setExecutor(pool);
    server.createContext(
        "/",
        ex -> {
          inFlight.enter();
          try (ex) {
            if (draining) {
              ex.getResponseHeaders().set("Connection", "close");
              ex.sendResponseHeaders(503, -1);
              return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
              body = in.readNBytes(TransportSettings.MAX_BODY_BYTES);
            }
            HttpExchange.Response r =
                handler.handle(
                    new HttpExchange(
                        ex.getRequestMethod().toUpperCase(Locale.ROOT),
                        ex.getRequestURI().getPath(),
                        body));
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
              try (OutputStream out = ex.getResponseBody()) {
                out.write(r.body());
              }
            }
          } finally {
            inFlight.exit();
          }
        });
    server.start();
  }

  @Override
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void stop(Duration drain) {
    if (server == null) {
      return;
    }
    // The JDK server's own stop(delay) also waits for idle keep-alive connections, i.e. always
    // the full delay; so refuse new requests, wait for those in flight, then stop at once.
    draining = true;
    inFlight.awaitIdle(drain);
    server.stop(0);
    pool.shutdown();
    try {
      pool.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
  }
}
