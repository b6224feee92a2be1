package dev.tessera.extender.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.engine.admission.PodWebhook;
import dev.tessera.engine.admission.QuotaView;
import dev.tessera.engine.admission.WebhookSettings;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.extender.tls.TlsException;
import dev.tessera.extender.tls.TlsMaterial;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private WebhookServer server;
  // Generating RSA keys is slow on small machines; the tests share two.
  private static TlsMaterial serviceCert;
  private static TlsMaterial localCert;

  @org.junit.jupiter.api.BeforeAll
  static void certificates() {
    serviceCert =
        TlsMaterial.selfSigned(
            List.of("tessera-webhook.kube-system.svc"), Clock.systemUTC(), Duration.ofDays(1));
    localCert = TlsMaterial.selfSigned(List.of("localhost"), Clock.systemUTC(), Duration.ofDays(1));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close(Duration.ZERO);
    }
  }

  private WebhookServer start(TlsMaterial tls) {
    var webhook =
        new PodWebhook(
            DeviceConfig.chartDefaults(), WebhookSettings.chartDefaults(), QuotaView.UNLIMITED);
    server =
        WebhookServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            tls,
            new AdmissionReviews(webhook),
            2);
    return server;
  }

  private static HttpClient trusting(TlsMaterial tls) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("webhook", tls.certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private HttpResponse<String> post(HttpClient client, String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String review(String apiVersion, String limits) {
    String containers =
        "[{\"name\":\"train\",\"image\":\"cuda\",\"resources\":{\"limits\":" + limits + "}}]";
    return "{\"apiVersion\":\""
        + apiVersion
        + "\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u-1\","
        + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"operation\":\"CREATE\","
        + "\"namespace\":\"team\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
        + "\"metadata\":{\"name\":\"p\",\"namespace\":\"team\"},\"spec\":{\"containers\":"
        + containers
        + "}}}}";
  }

  private static JsonNode patch(JsonNode response) throws Exception {
    return JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
  }

  @Test
  void gpuPodGetsSchedulerNameAndHamiDefaults() throws Exception {
    TlsMaterial tls = serviceCert;
    start(tls);
    HttpResponse<String> r =
        post(
            trusting(tls), "/webhook", review("admission.k8s.io/v1", "{\"nvidia.com/gpu\":\"1\"}"));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode out = JSON.readTree(r.body());
    assertThat(out.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(out.path("kind").asText()).isEqualTo("AdmissionReview");
    JsonNode response = out.path("response");
    assertThat(response.path("uid").asText()).isEqualTo("u-1");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode ops = patch(response);
    assertThat(ops.toString())
        .contains("\"path\":\"/spec/schedulerName\"")
        .contains("\"value\":\"hami-scheduler\"")
        // nvidia.com/gpu alone is a whole GPU: the exclusive-core default adds 100 cores (§5.2).
        .contains("nvidia.com~1gpucores");
  }

  @Test
  void podWithoutGpusPassesUntouched() throws Exception {
    TlsMaterial tls = localCert;
    start(tls);
    HttpResponse<String> r =
        post(trusting(tls), "/mutate", review("admission.k8s.io/v1", "{\"cpu\":\"1\"}"));
    JsonNode response = JSON.readTree(r.body()).path("response");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
    assertThat(response.has("status")).isFalse();
  }

  @Test
  void impossibleRequestIsRefusedNamingContainerAndResource() throws Exception {
    TlsMaterial tls = localCert;
    start(tls);
    HttpResponse<String> r =
        post(
            trusting(tls),
            "/webhook",
            review(
                "admission.k8s.io/v1beta1",
                "{\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem-percentage\":\"150\"}"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode out = JSON.readTree(r.body());
    assertThat(out.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
    JsonNode response = out.path("response");
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
    assertThat(response.path("status").path("message").asText())
        .contains("container train")
        .contains("nvidia.com/gpumem-percentage")
        .contains("150");
  }

  @Test
  void garbageIsAnHttp400WithTheReason() throws Exception {
    TlsMaterial tls = localCert;
    start(tls);
    HttpClient client = trusting(tls);
    assertThat(post(client, "/webhook", "{not json").statusCode()).isEqualTo(400);
    HttpResponse<String> r = post(client, "/webhook", "{\"apiVersion\":\"admission.k8s.io/v1\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("request is required");
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
    TlsMaterial tls = localCert;
    start(tls);
    TlsMaterial other = serviceCert;
    assertThatThrownBy(() -> post(trusting(other), "/webhook", review("admission.k8s.io/v1", "{}")))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void servesWithPemFilesAsGiven(@TempDir Path dir) throws Exception {
    TlsMaterial generated = localCert;
    KeyStore ks = generated.keyStore();
    String alias = ks.aliases().nextElement();
    PrivateKey key = (PrivateKey) ks.getKey(alias, generated.password());
    Path cert = dir.resolve("tls.crt");
    Path keyFile = dir.resolve("tls.key");
    Files.writeString(cert, generated.certificatePem());
    Files.writeString(
        keyFile,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n",
        StandardCharsets.US_ASCII);

    TlsMaterial tls = TlsMaterial.fromPem(cert, keyFile);
    assertThat(tls.certificate()).isEqualTo(generated.certificate());
    start(tls);
    HttpResponse<String> r =
        post(
            trusting(generated),
            "/webhook",
            review("admission.k8s.io/v1", "{\"nvidia.com/gpu\":\"1\"}"));
    assertThat(JSON.readTree(r.body()).path("response").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void unreadableKeyNamesTheFlagAndFile(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.writeString(cert, localCert.certificatePem());
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbm9wZQ==\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> TlsMaterial.fromPem(cert, key))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("--tls-key " + key);
    assertThatThrownBy(() -> TlsMaterial.fromPem(dir.resolve("missing.crt"), key))
        .isInstanceOf(TlsException.class)
        .hasMessageContaining("--tls-cert " + dir.resolve("missing.crt"))
        .hasMessageContaining("cannot read");
  }

  @Test
  void healthz() throws Exception {
    TlsMaterial tls = localCert;
    start(tls);
    HttpResponse<String> r =
        trusting(tls)
            .send(
                HttpRequest.newBuilder(
                        URI.create("https://localhost:" + server.port() + "/healthz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("ok");
  }

  private HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyzTurns503WhenStoppingWhileReviewsAreStillAnswered() throws Exception {
    TlsMaterial tls = localCert;
    start(tls);
    HttpClient client = trusting(tls);
    assertThat(get(client, "/readyz").statusCode()).isEqualTo(200);

    server.unready();

    assertThat(get(client, "/readyz").statusCode()).isEqualTo(503);
    assertThat(get(client, "/healthz").statusCode()).isEqualTo(200);
    var r = post(client, "/webhook", review("admission.k8s.io/v1", "{\"nvidia.com/gpu\":\"1\"}"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("response").path("allowed").asBoolean()).isTrue();
  }
}
