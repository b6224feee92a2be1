package dev.tessera.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --tls-cert} and {@code --tls-key}, the PEM pair an HTTPS server presents (a mixin). */
final class TlsOptions {
  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "PEM certificate (chain) to serve HTTPS with.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "PEM private key (PKCS#8, PKCS#1 RSA or EC).")
  Path tlsKey;

  Optional<Path> cert() {
    return Optional.ofNullable(tlsCert);
  }

  Optional<Path> key() {
    return Optional.ofNullable(tlsKey);
  }
}
