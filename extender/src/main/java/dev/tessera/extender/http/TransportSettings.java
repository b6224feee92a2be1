package dev.tessera.extender.http;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how a transport listens.
 *
 * @param host address to bind, e.g. {@code 0.0.0.0}
 * @param port port to bind; 0 picks a free one
 * @param workers threads that run handlers (decisions are CPU-bound; bind may wait on the API)
 * @param tlsCert PEM certificate chain, when serving HTTPS
 * @param tlsKey PEM private key (PKCS#8, PKCS#1 RSA or EC), when serving HTTPS
 */
public record TransportSettings(
    String host, int port, int workers, Optional<Path> tlsCert, Optional<Path> tlsKey) {
  /** Largest request body read (HAMi reads at most 1 MiB; Node lists can be larger). */
  public static final int MAX_BODY_BYTES = 64 << 20;

  public TransportSettings {
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException("--tls-cert and --tls-key must be given together");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
  }

  public static TransportSettings plain(String host, int port, int workers) {
    return new TransportSettings(host, port, workers, Optional.empty(), Optional.empty());
  }

  public boolean tls() {
    return tlsCert.isPresent();
  }
}
