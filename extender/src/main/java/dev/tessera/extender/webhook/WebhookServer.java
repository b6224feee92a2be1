package dev.tessera.extender.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tessera.extender.tls.TlsMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mutating admission webhook over HTTPS (JDK HTTPS server): {@code POST /webhook} (HAMi's path)
 * and {@code POST /mutate} take an AdmissionReview and answer one; {@code GET /healthz} answers
 * {@code ok} while the process serves, {@code GET /readyz} {@code ok} until a graceful stop begins
 * ({@link #close(java.time.Duration, java.time.Duration)}), then 503 while reviews are still
 * answered for the shutdown delay, so the Service drops this replica before its listener closes. A
 * body that is not an AdmissionReview gets HTTP 400 with the reason; decisions, refusals included,
 * travel as HTTP 200 reviews, as the API server expects.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Larger bodies are refused; a Pod object is a few KiB. */
  private static final int MAX_BODY = 3 * 1024 * 1024;

  private final HttpsServer server;
  private final ExecutorService executor;
  private final AdmissionReviews reviews;
  private volatile boolean stopping;

  private WebhookServer(HttpsServer server, ExecutorService executor, AdmissionReviews reviews) {
    this.server = server;
    this.executor = executor;
    this.reviews = reviews;
  }

  /**
   * Starts serving on {@code address} ({@code port 0} picks a free port) with {@code tls}.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static WebhookServer start(
      InetSocketAddress address, TlsMaterial tls, AdmissionReviews reviews, int threads) {
    Objects.requireNonNull(reviews, "reviews");
    try {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
      AtomicInteger n = new AtomicInteger();
      ExecutorService ex =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "webhook-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      WebhookServer s = new WebhookServer(https, ex, reviews);
      https.createContext("/webhook", s::review);
      https.createContext("/mutate", s::review);
      https.createContext("/healthz", s::health);
      https.createContext("/readyz", s::ready);
      https.setExecutor(ex);
      https.start();
      LOG.info("webhook serving HTTPS on {}", https.getAddress());
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@link #close(java.time.Duration)} with 2 s for requests in flight. */
  @Override
  public void close() {
    close(java.time.Duration.ofSeconds(2));
  }

  /**
   * Stops accepting, lets requests in flight finish for up to {@code grace} (whole seconds; the JDK
   * server may wait all of it), then stops.
   */
  public void close(java.time.Duration grace) {
    unready();
    server.stop((int) grace.toSeconds());
    executor.shutdownNow();
  }

  /**
   * Stops gracefully: {@link #unready}, keeps answering reviews for {@code delay} (the API server
   * and the Service's endpoints notice the 503 meanwhile), then {@link #close(java.time.Duration)}
   * with {@code grace}.
   */
  public void close(java.time.Duration delay, java.time.Duration grace) {
    unready();
    if (!delay.isNegative() && !delay.isZero()) {
      LOG.info("webhook stopping: /readyz answers 503, still serving for {}", delay);
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    close(grace);
  }

  /** Turns {@code /readyz} to 503 while reviews are still answered: the first step of a stop. */
  public void unready() {
    stopping = true;
  }

  private void review(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        send(ex, 405, "{\"error\":\"use POST with an AdmissionReview\"}");
        return;
      }
      byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        send(ex, 413, error("AdmissionReview larger than " + MAX_BODY + " bytes"));
        return;
      }
      JsonNode review;
      try {
        review = JSON.readTree(body);
      } catch (IOException e) {
        send(ex, 400, error("malformed JSON: " + e.getMessage()));
        return;
      }
      try {
        send(ex, 200, JSON.writeValueAsString(reviews.answer(review)));
      } catch (IllegalArgumentException e) {
        send(ex, 400, error(e.getMessage()));
      }
    } catch (RuntimeException e) {
      LOG.error("webhook request failed", e);
      throw e;
    }
  }

  private void health(HttpExchange ex) throws IOException {
    try (ex) {
      send(ex, 200, "ok");
    }
  }

  private void ready(HttpExchange ex) throws IOException {
    try (ex) {
      if (stopping) {
        send(ex, 503, "shutting down");
      } else {
        send(ex, 200, "ok");
      }
    }
  }

  private static String error(String message) {
    return JsonNodeFactory.instance.objectNode().put("error", message).toString();
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders()
        .set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
