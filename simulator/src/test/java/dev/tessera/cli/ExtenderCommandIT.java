package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.extender.server.ExtenderServer;
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
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code tessera extender --snapshot traces/sample} serves filter and bind without an API server.
 */
class ExtenderCommandIT {
  private static final Path ROOT = Path.of(System.getProperty("tessera.root", ".."));
  private final WireJson wire = new WireJson();
  private final HttpClient http = HttpClient.newHttpClient();

  private byte[] post(int port, String verb, Object body) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + verb))
                .POST(HttpRequest.BodyPublishers.ofByteArray(wire.write(body)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void servesTheSampleSnapshot() throws Exception {
    var command = new ExtenderCommand();
    new CommandLine(command)
        .parseArgs(
            "--snapshot",
            ROOT.resolve("traces/sample").toString(),
            "--port",
            "0",
            "--address",
            "127.0.0.1");
    ExtenderServer server = command.start();
    try {
      JsonNode pod =
          new ObjectMapper(new YAMLFactory())
              .readTree(Files.readString(ROOT.resolve("traces/sample/pod.yaml")));
      var names = List.of("a100-node-1", "t4-node-1", "t4-node-2");

      var filtered =
          wire.read(
              post(server.port(), "filter", new ExtenderArgs(pod, null, names)),
              ExtenderFilterResult.class);
      var bound =
          wire.read(
              post(
                  server.port(),
                  "bind",
                  new ExtenderBindingArgs("infer-new", "default", "", "t4-node-1")),
              ExtenderBindingResult.class);

      // every node has a GPU with 8,000 MiB and 30 % cores free (docs/user-guide.md's example)
      assertThat(filtered.nodeNames()).containsExactlyElementsOf(names);
      assertThat(bound.error()).isEmpty();
      var state = server.extender().state();
      assertThat(state.pod("default", "infer-new").orElseThrow().annotations())
          .containsEntry(Annotations.DEVICES_ALLOCATED, "GPU-t4-1-0,NVIDIA,8000,30:;");
      assertThat(state.snapshot().nodeOf("default/infer-new")).contains("t4-node-1");
      // the running pods of cluster.yaml are booked too
      assertThat(state.snapshot().nodeOf("default/infer-0")).contains("t4-node-1");
    } finally {
      command.stop(server, Duration.ofSeconds(5));
    }
  }

  @Test
  void acceptsWeightedPolicySpecsAsExplainDoes() throws Exception {
    var command = new ExtenderCommand();
    new CommandLine(command)
        .parseArgs(
            "--snapshot",
            ROOT.resolve("traces/sample").toString(),
            "--port",
            "0",
            "--address",
            "127.0.0.1",
            "--policy",
            "spread=2,topology=1");
    ExtenderServer server = command.start();
    try {
      JsonNode pod =
          new ObjectMapper(new YAMLFactory())
              .readTree(Files.readString(ROOT.resolve("traces/sample/pod.yaml")));
      var names = List.of("a100-node-1", "t4-node-1", "t4-node-2");

      var filtered =
          wire.read(
              post(server.port(), "filter", new ExtenderArgs(pod, null, names)),
              ExtenderFilterResult.class);

      assertThat(server.extender().ranking().name()).isEqualTo("spread=2,topology=1");
      assertThat(filtered.nodeNames()).containsExactlyElementsOf(names);
    } finally {
      command.stop(server, Duration.ofSeconds(5));
    }
  }
}
