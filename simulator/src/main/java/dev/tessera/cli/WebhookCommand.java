package dev.tessera.cli;

import dev.tessera.engine.admission.PodWebhook;
import dev.tessera.engine.admission.QuotaView;
import dev.tessera.engine.admission.WebhookSettings;
import dev.tessera.engine.codec.GoDuration;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.extender.tls.TlsMaterial;
import dev.tessera.extender.webhook.AdmissionReviews;
import dev.tessera.extender.webhook.WebhookServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera webhook}: the mutating admission webhook (HAMi's {@code POST /webhook}) over
 * HTTPS, with the engine's admission decisions (hami-compat §5).
 */
@Command(
    name = "webhook",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the mutating admission webhook (AdmissionReview v1 and v1beta1) over HTTPS on"
          + " /webhook, /healthz and /readyz.",
      "Pods asking for shared GPUs get schedulerName and HAMi's resource defaults; impossible"
          + " requests are refused naming the container and resource; other pods pass untouched."
    })
final class WebhookCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TlsOptions tlsFiles;

  @Option(
      names = "--address",
      defaultValue = "0.0.0.0",
      paramLabel = "HOST",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String address;

  @Option(
      names = "--port",
      defaultValue = "9443",
      paramLabel = "PORT",
      description = "HTTPS port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--dev-self-signed",
      description =
          "Development only: generate a key and self-signed certificate in memory instead of"
              + " --tls-cert/--tls-key.")
  boolean devSelfSigned;

  @Option(
      names = "--dev-dns-name",
      paramLabel = "NAME",
      description =
          "With --dev-self-signed: a DNS name for the certificate, e.g. the Service's"
              + " tessera-webhook.kube-system.svc (repeatable; localhost is always included).")
  List<String> devDnsNames = List.of();

  @Option(
      names = "--dev-ca-out",
      paramLabel = "FILE",
      description =
          "With --dev-self-signed: write the certificate (PEM) to FILE, for the webhook"
              + " configuration's caBundle.")
  Path devCaOut;

  @Option(
      names = "--scheduler-name",
      defaultValue = "hami-scheduler",
      paramLabel = "NAME",
      description =
          "schedulerName set on pods asking for GPUs; empty leaves it alone (default:"
              + " ${DEFAULT-VALUE}).")
  String schedulerName;

  @Option(
      names = "--force-overwrite-default-scheduler",
      defaultValue = "true",
      arity = "1",
      paramLabel = "true|false",
      description = "Take over GPU pods that name default-scheduler (default: ${DEFAULT-VALUE}).")
  boolean forceOverwrite;

  @Option(
      names = "--device-config",
      paramLabel = "FILE",
      description =
          "HAMi device-config.yaml or hami-scheduler-device ConfigMap: defaultMem, defaultCores,"
              + " defaultGPUNum, resource names (default: chart defaults).")
  Path deviceConfig;

  @Option(
      names = "--workers",
      defaultValue = "4",
      paramLabel = "N",
      description = "Threads answering reviews (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--drain-timeout",
      defaultValue = "2s",
      paramLabel = "DURATION",
      description =
          "On SIGTERM, how long to wait for reviews in flight (default: ${DEFAULT-VALUE}).")
  String drainTimeout;

  @Option(
      names = "--shutdown-delay",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description =
          "On SIGTERM, how long /readyz answers 503 while reviews are still answered, before the"
              + " drain (default: ${DEFAULT-VALUE}).")
  String shutdownDelay;

  @Override
  public Integer call() {
    WebhookServer server = start();
    Duration drain = GoDuration.parse("--drain-timeout", drainTimeout);
    Duration delay = GoDuration.parse("--shutdown-delay", shutdownDelay);
    return ServeUntilStopped.run(
        spec,
        "tessera webhook listening on port " + server.port() + " (HTTPS)",
        "webhook-shutdown",
        () -> server.close(delay, drain));
  }

  /** Builds and starts the server from the options (tests call this directly). */
  WebhookServer start() {
    TlsMaterial tls = tls();
    DeviceConfig config = DeviceConfigOption.load(deviceConfig);
    var webhook =
        new PodWebhook(
            config, new WebhookSettings(schedulerName, forceOverwrite), QuotaView.UNLIMITED);
    return WebhookServer.start(
        new InetSocketAddress(address, port), tls, new AdmissionReviews(webhook), workers);
  }

  private TlsMaterial tls() {
    if (devSelfSigned) {
      if (tlsFiles.cert().isPresent() || tlsFiles.key().isPresent()) {
        throw new IllegalArgumentException(
            "--dev-self-signed generates its own pair: drop --tls-cert/--tls-key");
      }
      TlsMaterial tls =
          TlsMaterial.selfSigned(
              devDnsNames.isEmpty() ? List.of("localhost") : devDnsNames,
              Clock.systemUTC(),
              Duration.ofDays(365));
      if (devCaOut != null) {
        writeAtomically(devCaOut, tls.certificatePem());
      }
      return tls;
    }
    if (tlsFiles.cert().isEmpty() || tlsFiles.key().isEmpty()) {
      throw new IllegalArgumentException(
          "the API server only calls webhooks over HTTPS: give --tls-cert FILE and --tls-key FILE"
              + " (or --dev-self-signed for development)");
    }
    return TlsMaterial.fromPem(tlsFiles.cert().get(), tlsFiles.key().get());
  }

  private static void writeAtomically(Path file, String text) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "--dev-ca-out " + file + ": cannot write: " + e.getMessage(), e);
    }
  }
}
