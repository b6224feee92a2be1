package dev.tessera.extender.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.testing.SharedReferences;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.extender.wire.WireJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request bodies kube-scheduler v1.20.5 really sent (../shared/reference/extender-wire), for
 * both nodeCacheCapable modes, answered by an extender over the example's three nodes.
 */
class WireGoldenTest {
  private final WireJson wire = new WireJson();
  private Path dir;
  private InMemoryCluster cluster;
  private Extender extender;

  @BeforeEach
  void setUp() {
    dir = SharedReferences.require("reference/extender-wire");
    cluster = InMemoryCluster.of(Fixtures.exampleNodes(dir), List.of(), List.of());
    extender = Fixtures.extender(cluster);
  }

  private ExtenderArgs args(String mode, String verb) {
    return wire.read(
        Fixtures.bytes(dir.resolve("node-cache-capable-" + mode + "/" + verb + ".request.json")),
        ExtenderArgs.class);
  }

  private JsonNode json(Object value) {
    return Fixtures.read(value, wire);
  }

  @Test
  void namesModeReturnsEveryFeasibleNodeByNameAndTheUnhealthyOneAsUnresolvable() {
    ExtenderFilterResult r = extender.filter(args("true", "filter"));

    assertThat(r.nodeNames()).containsExactly("gpu-node-a", "gpu-node-b");
    assertThat(r.nodes()).isNull();
    assertThat(r.failedNodes()).isEmpty();
    // gpu-node-c registers its T4 without "health": Go's zero value, an unhealthy card.
    assertThat(r.failedAndUnresolvableNodes()).containsOnlyKeys("gpu-node-c");
    assertThat(r.failedAndUnresolvableNodes().get("gpu-node-c"))
        .startsWith("1/1 CardNotHealth; pod asks 1 GPU x 4096 MiB, 30% cores");
    assertThat(r.error()).isNull();

    JsonNode body = json(r);
    assertThat(body.has("NodeNames")).isTrue();
    assertThat(body.has("Nodes")).isFalse(); // kube-scheduler would read an empty Nodes otherwise
    assertThat(body.has("FailedAndUnresolvableNodes")).isTrue();
  }

  @Test
  void objectModeHandsBackTheVeryNodeObjectsItWasSentInNodesItems() {
    ExtenderArgs args = args("false", "filter");
    ExtenderFilterResult r = extender.filter(args);

    assertThat(r.nodeNames()).isNull(); // this mode reads ONLY Nodes.items
    assertThat(r.nodes().items())
        .containsExactly(args.nodes().items().get(0), args.nodes().items().get(1));
    assertThat(r.failedAndUnresolvableNodes()).containsOnlyKeys("gpu-node-c");

    JsonNode body = json(r);
    assertThat(body.path("Nodes").path("items").get(1).path("metadata").path("name").asText())
        .isEqualTo("gpu-node-b");
    assertThat(body.has("NodeNames")).isFalse();
  }

  @Test
  void requestKeysAreReadCaseInsensitivelyAsGoDoes() {
    String lower =
        new String(
                Fixtures.bytes(dir.resolve("node-cache-capable-true/filter.request.json")),
                StandardCharsets.UTF_8)
            .replace("\"Pod\":", "\"pod\":")
            .replace("\"NodeNames\":", "\"nodenames\":")
            .replace("\"Nodes\":", "\"nodes\":");
    var r = extender.filter(wire.read(lower.getBytes(StandardCharsets.UTF_8), ExtenderArgs.class));

    assertThat(r.nodeNames()).containsExactly("gpu-node-a", "gpu-node-b");
  }

  @Test
  void canonicalQuantitiesLike20kAreParsed() {
    // kube-scheduler re-serialises nvidia.com/gpumem 20000 as "20k".
    String body =
        new String(
                Fixtures.bytes(dir.resolve("node-cache-capable-true/filter.request.json")),
                StandardCharsets.UTF_8)
            .replace("\"nvidia.com/gpumem\":\"4096\"", "\"nvidia.com/gpumem\":\"20k\"");
    var r = extender.filter(wire.read(body.getBytes(StandardCharsets.UTF_8), ExtenderArgs.class));

    // 20,000 MiB exceeds an idle 15,360 MiB T4: no eviction could help gpu-node-a.
    assertThat(r.nodeNames()).containsExactly("gpu-node-b");
    assertThat(r.failedAndUnresolvableNodes().get("gpu-node-a"))
        .startsWith("2/2 CardInsufficientMemory; pod asks 1 GPU x 20000 MiB");
  }

  @Test
  void prioritizeScoresEveryCandidateInBothModes() {
    for (String mode : List.of("true", "false")) {
      List<HostPriority> p = extender.prioritize(args(mode, "prioritize"));

      assertThat(p).extracting(HostPriority::host).containsExactly("gpu-node-a", "gpu-node-b");
      // both nodes idle: the same HAMi node score, so both get the top score
      assertThat(p).extracting(HostPriority::score).containsExactly(10L, 10L);
      JsonNode body = json(p);
      assertThat(body.get(0).has("Host")).isTrue();
      assertThat(body.get(0).has("Score")).isTrue();
    }
  }

  @Test
  void bindWritesHamiAnnotationsThenBindsToTheRequestedNode() {
    extender.filter(args("true", "filter")); // the pod arrives with filter
    var bindArgs =
        wire.read(
            Fixtures.bytes(dir.resolve("node-cache-capable-true/bind.request.json")),
            ExtenderBindingArgs.class);

    var result = extender.bind(bindArgs);

    assertThat(result.ok()).as(result.error()).isTrue();
    assertThat(json(result).get("Error").asText()).isEmpty();
    var pod = cluster.pod("default", "gpu-pod").orElseThrow();
    assertThat(pod.nodeName()).isEqualTo("gpu-node-b");
    assertThat(pod.annotations())
        .containsEntry(
            Annotations.DEVICES_TO_ALLOCATE,
            "GPU-7b1c9e2a-5d4f-4c3b-a2e1-f0e9d8c7b6a5,NVIDIA,4096,30:;")
        .containsEntry(
            Annotations.DEVICES_ALLOCATED,
            "GPU-7b1c9e2a-5d4f-4c3b-a2e1-f0e9d8c7b6a5,NVIDIA,4096,30:;")
        .containsEntry(Annotations.VGPU_NODE, "gpu-node-b")
        .containsEntry(Annotations.BIND_PHASE, "allocating")
        .containsEntry(
            Annotations.VGPU_TIME, Long.toString(Fixtures.CLOCK.instant().getEpochSecond()));
    assertThat(pod.labels()).containsEntry(Annotations.VGPU_NODE, "gpu-node-b");
    // the booking is in the snapshot at once, before any informer could report it
    var b = cluster.snapshot().node("gpu-node-b").orElseThrow();
    assertThat(b.usage().get(0).usedMemMiB()).isEqualTo(4096);
    assertThat(cluster.snapshot().nodeOf("default/gpu-pod")).contains("gpu-node-b");
    assertThat(bindArgs.podUid().toLowerCase(Locale.ROOT)).isEqualTo(pod.uid());
  }
}
