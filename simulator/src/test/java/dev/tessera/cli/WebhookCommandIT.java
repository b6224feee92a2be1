package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.extender.webhook.WebhookServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tessera webhook --dev-self-signed} answers an AdmissionReview over HTTPS. */
class WebhookCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void devSelfSignedServesAdmissionReviews(@TempDir Path dir) throws Exception {
    Path ca = dir.resolve("ca.crt");
    var command = new WebhookCommand();
    new CommandLine(command)
        .parseArgs(
            "--dev-self-signed",
            "--dev-ca-out",
            ca.toString(),
            "--port",
            "0",
            "--address",
            "127.0.0.1",
            "--scheduler-name",
            "tessera");
    WebhookServer server = command.start();
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry(
          "ca",
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(ca))));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
      String review =
          "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
              + "\"uid\":\"7\",\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\","
              + "\"namespace\":\"ml\",\"object\":{\"metadata\":{\"name\":\"p\"},\"spec\":{"
              + "\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{"
              + "\"nvidia.com/gpumem\":\"4000\"}}}]}}}}";
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/webhook"))
                  .POST(HttpRequest.BodyPublishers.ofString(review))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode response = JSON.readTree(r.body()).path("response");
      assertThat(response.path("uid").asText()).isEqualTo("7");
      assertThat(response.path("allowed").asBoolean()).isTrue();
      String patch =
          new String(Base64.getDecoder().decode(response.path("patch").asText()), "UTF-8");
      // gpumem alone gets gpu: defaultGPUNum (1) and the pod goes to the named scheduler.
      assertThat(patch).contains("nvidia.com~1gpu\"").contains("\"value\":\"tessera\"");
    } finally {
      server.close(Duration.ZERO);
    }
  }

  @Test
  void refusesToServePlainHttp() {
    var command = new WebhookCommand();
    new CommandLine(command).parseArgs("--port", "0");
    assertThatThrownBy(command::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--tls-cert FILE and --tls-key FILE");
  }
}
