package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.WireJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tessera extender --kubeconfig FILE --leader-elect} against the fake API server: informers
 * feed filter, bind writes HAMi's annotations and the Binding, the Lease names the replica.
 */
class ExtenderLiveIT {
  private final WireJson wire = new WireJson();
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<byte[]> call(int port, String path, Object body) throws Exception {
    var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + path));
    b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofByteArray(wire.write(body)));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void await(BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void servesTheClusterOfTheApiServer(@TempDir Path dir) throws Exception {
    try (FakeApiServer api = FakeApiServer.start()) {
      for (String n : List.of("gpu-1", "gpu-2")) {
        String register =
            NodeRegisterCodec.encode(
                List.of(GpuDevice.of("GPU-" + n, 0, "NVIDIA A100", 40960, 100, 10, 0)));
        api.create(
            "v1/nodes",
            "{\"metadata\":{\"name\":\""
                + n
                + "\",\"annotations\":{\""
                + Annotations.NODE_REGISTER
                + "\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(register)
                + "}},\"status\":{\"allocatable\":{\"nvidia.com/gpu\":\"10\"}}}");
      }
      // A node whose register annotation does not decode: left out, the rest keeps being served.
      api.create(
          "v1/nodes",
          "{\"metadata\":{\"name\":\"broken\",\"annotations\":{\""
              + Annotations.NODE_REGISTER
              + "\":\"[{\\\"id\\\":\"}}}");
      String podJson =
          "{\"metadata\":{\"name\":\"train\",\"namespace\":\"ml\"},\"spec\":{\"schedulerName\":"
              + "\"hami-scheduler\",\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{"
              + "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"8000\",\"nvidia.com/gpucores\":\"30\"}}}]}}";
      JsonNode pod = api.create("v1/pods", podJson);
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(
          kubeconfig,
          "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: "
              + api.url()
              + "\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: nobody\n"
              + "current-context: fake\nusers:\n- name: nobody\n  user: {}\n");

      var command = new ExtenderCommand();
      new CommandLine(command)
          .parseArgs(
              "--kubeconfig",
              kubeconfig.toString(),
              "--leader-elect",
              "--leader-elect-mode",
              "own-lease",
              "--identity",
              "replica-1",
              "--port",
              "0",
              "--address",
              "127.0.0.1",
              "--http",
              "jdk");
      ExtenderServer server = command.start();
      try {
        int port = server.port();
        await(
            () -> {
              try {
                return call(port, "readyz", null).statusCode() == 200;
              } catch (Exception e) {
                return false;
              }
            });
        await(
            () ->
                api.get("coordination.k8s.io/v1/leases", "kube-system", "tessera-extender")
                    .map(l -> l.path("spec").path("holderIdentity").asText().equals("replica-1"))
                    .orElse(false));

        var filtered =
            wire.read(
                call(
                        port,
                        "filter",
                        new ExtenderArgs(pod, null, List.of("gpu-1", "gpu-2", "broken")))
                    .body(),
                ExtenderFilterResult.class);
        assertThat(filtered.nodeNames()).containsExactlyInAnyOrder("gpu-1", "gpu-2");
        var refused = new java.util.HashMap<String, String>();
        if (filtered.failedNodes() != null) {
          refused.putAll(filtered.failedNodes());
        }
        if (filtered.failedAndUnresolvableNodes() != null) {
          refused.putAll(filtered.failedAndUnresolvableNodes());
        }
        assertThat(refused).containsOnlyKeys("broken");
        // The informers' health is on the same /metrics page as the verbs' latency.
        String metrics =
            new String(call(port, "metrics", null).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(metrics)
            .contains("tessera_extender_request_duration_seconds")
            .contains("tessera_state_skipped_objects{kind=\"node\"} 1")
            .containsPattern("tessera_state_malformed_annotations_total\\{kind=\"node\"\\} [1-9]");

        String uid = pod.path("metadata").path("uid").asText();
        // Right after election the leader flag may lag the Lease write by one round.
        ExtenderBindingResult bound = null;
        for (int i = 0; i < 50; i++) {
          bound =
              wire.read(
                  call(port, "bind", new ExtenderBindingArgs("train", "ml", uid, "gpu-2")).body(),
                  ExtenderBindingResult.class);
          if (bound.ok()) {
            break;
          }
          Thread.sleep(100);
        }
        assertThat(bound.error()).isEmpty();

        JsonNode stored = api.get("v1/pods", "ml", "train").orElseThrow();
        assertThat(stored.path("spec").path("nodeName").asText()).isEqualTo("gpu-2");
        JsonNode ann = stored.path("metadata").path("annotations");
        assertThat(ann.path(Annotations.DEVICES_ALLOCATED).asText())
            .isEqualTo("GPU-gpu-2,NVIDIA,8000,30:;");
        assertThat(ann.path(Annotations.BIND_PHASE).asText()).isEqualTo("allocating");
        await(() -> server.extender().state().snapshot().nodeOf("ml/train").isPresent());
      } finally {
        command.stop(server, Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void asASidecarItBindsWhileItsKubeSchedulerHoldsTheLeaseAndLabelsTheSchedulerPods(
      @TempDir Path dir) throws Exception {
    try (FakeApiServer api = FakeApiServer.start()) {
      for (String name : List.of("sched-a", "sched-b")) {
        api.create(
            "v1/pods",
            "{\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\"gpu-system\",\"labels\":{\"app.kubernetes.io/component\":"
                + "\"hami-scheduler\"}},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}");
      }
      JsonNode pod =
          api.create(
              "v1/pods",
              "{\"metadata\":{\"name\":\"web\",\"namespace\":\"ml\"},\"spec\":"
                  + "{\"containers\":[{\"name\":\"c\"}]}}");
      // kube-scheduler in pod sched-a leads, as it writes its Lease.
      api.create(
          "coordination.k8s.io/v1/leases",
          "{\"metadata\":{\"name\":\"hami-scheduler\",\"namespace\":\"gpu-system\"},"
              + "\"spec\":{\"holderIdentity\":\"sched-a_5c0ffee0-1d2e-4f00-9a7b-3c2d1e0f9a8b\","
              + "\"leaseDurationSeconds\":15,\"renewTime\":\""
              + java.time.Instant.now()
              + "\"}}");
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(
          kubeconfig,
          "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: "
              + api.url()
              + "\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n    user: nobody\n"
              + "current-context: fake\nusers:\n- name: nobody\n  user: {}\n");

      var command = new ExtenderCommand();
      new CommandLine(command)
          .parseArgs(
              "--kubeconfig",
              kubeconfig.toString(),
              "--leader-elect",
              "--port",
              "0",
              "--address",
              "127.0.0.1",
              "--http",
              "jdk");
      command.env =
          java.util.Map.of(
              "POD_NAME", "sched-a", "POD_NAMESPACE", "gpu-system", "HOSTNAME", "sched-a");
      ExtenderServer server = command.start();
      try {
        int port = server.port();
        await(
            () -> {
              try {
                return call(port, "readyz", null).statusCode() == 200;
              } catch (Exception e) {
                return false;
              }
            });
        await(
            () -> role(api, "sched-a").equals("leader") && role(api, "sched-b").equals("follower"));
        String uid = pod.path("metadata").path("uid").asText();
        ExtenderBindingResult bound =
            wire.read(
                call(port, "bind", new ExtenderBindingArgs("web", "ml", uid, "gpu-1")).body(),
                ExtenderBindingResult.class);
        assertThat(bound.error()).isEmpty();
        assertThat(
                api.get("v1/pods", "ml", "web")
                    .orElseThrow()
                    .path("spec")
                    .path("nodeName")
                    .asText())
            .isEqualTo("gpu-1");
        // kube-scheduler's Lease is only read.
        assertThat(api.requests())
            .filteredOn(r -> r.path().contains("/leases"))
            .allMatch(r -> r.method().equals("GET"));
      } finally {
        command.stop(server, Duration.ofSeconds(2));
      }
    }
  }

  private static String role(FakeApiServer api, String pod) {
    return api.get("v1/pods", "gpu-system", pod)
        .orElseThrow()
        .path("metadata")
        .path("labels")
        .path("hami.io/scheduler-role")
        .asText("");
  }
}
