package dev.tessera.extender.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.Node;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.state.InMemoryCluster;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** With --tls-cert/--tls-key the extender serves HTTPS with that certificate (both transports). */
class TlsIT {
  @TempDir Path dir;

  /**
   * A self-signed certificate for 127.0.0.1 with an RSA key, written as PKCS#8 ({@code openssl
   * req}'s default) or as PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----}, older tools' output).
   */
  private static void selfSigned(Path cert, Path key, boolean pkcs1) throws Exception {
    if (pkcs1) {
      openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
    }
    var req = new java.util.ArrayList<>(List.of("req", "-x509"));
    if (pkcs1) {
      req.addAll(List.of("-key", key.toString()));
    } else {
      req.addAll(List.of("-newkey", "rsa:2048", "-nodes", "-keyout", key.toString()));
    }
    req.addAll(
        List.of(
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-out",
            cert.toString()));
    openssl(req.toArray(new String[0]));
  }

  private static void openssl(String... args) throws Exception {
    var command = new java.util.ArrayList<String>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("openssl is not installed: cannot make a test certificate");
      return;
    }
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("openssl %s", command).isZero();
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "tessera", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  @ParameterizedTest
  @EnumSource(ExtenderServer.Transport.class)
  void servesHttpsWithTheGivenCertificate(ExtenderServer.Transport transport) throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    selfSigned(cert, key, false);
    assertServesHttps(transport, cert, key);
  }

  @ParameterizedTest
  @EnumSource(ExtenderServer.Transport.class)
  void servesHttpsWithAPkcs1RsaKey(ExtenderServer.Transport transport) throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    selfSigned(cert, key, true);
    assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertServesHttps(transport, cert, key);
  }

  private void assertServesHttps(ExtenderServer.Transport transport, Path cert, Path key)
      throws Exception {
    var cluster =
        InMemoryCluster.of(
            List.of(
                Node.of(
                    "n1", List.of(GpuDevice.of("GPU-1", 0, "NVIDIA A100", 40_000, 100, 10, 0)))),
            List.of(),
            List.of());
    var settings =
        new ExtenderServer.Settings(
            transport,
            new TransportSettings("127.0.0.1", 0, 2, Optional.of(cert), Optional.of(key)),
            "",
            DeviceConfig.chartDefaults(),
            Engine.Options.DEFAULTS,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    var server =
        ExtenderServer.start(
            cluster, cluster, new EngineRanking(Engine.Options.DEFAULTS), settings, Fixtures.CLOCK);
    try {
      var client = HttpClient.newBuilder().sslContext(trusting(cert)).build();
      var r =
          client.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
    } finally {
      server.stop(Duration.ofSeconds(5));
    }
  }
}
