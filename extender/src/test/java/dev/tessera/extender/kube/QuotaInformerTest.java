package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.state.Binder;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.KubePod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live mode: the ResourceQuota informer feeds the extender's quota limits from the API server (real
 * client-java informers on the fake API server), and usage follows the pod informer.
 */
class QuotaInformerTest {
  private FakeApiServer server;
  private InformerClusterState state;
  private Extender extender;
  private final KubeFixtures.MutableClock clock =
      new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

  private static String quota(String ns, String name, String key, String value) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + ns
        + "\"},\"spec\":{\"hard\":{\""
        + key
        + "\":\""
        + value
        + "\",\"requests.cpu\":\"500m\"}}}";
  }

  @BeforeEach
  void start() throws Exception {
    server = FakeApiServer.start();
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 1));
    server.create("v1/nodes", KubeFixtures.gpuNode("b", 1));
    server.create(
        "v1/pods",
        KubeFixtures.pod(
            "team-a",
            "running",
            Map.of(
                Annotations.VGPU_NODE,
                "a",
                Annotations.DEVICES_ALLOCATED,
                "GPU-a-0,NVIDIA,6000,20:;")));
    server.create("v1/resourcequotas", quota("team-a", "gpu", "limits.nvidia.com/gpumem", "10000"));
    server.create("v1/resourcequotas", quota("team-b", "odd", "limits.nvidia.com/gpumem", "1500m"));
    state = KubeFixtures.startedState(server, clock);
    extender =
        KubeFixtures.extender(
            state,
            new Binder() {
              @Override
              public void annotate(KubePod pod, Map<String, String> a, Map<String, String> l) {}

              @Override
              public void bind(KubePod pod, String node) {}
            },
            new Reservations(state, clock, Duration.ofSeconds(30)),
            clock);
  }

  @AfterEach
  void stop() {
    if (state != null) {
      state.close();
    }
    server.close();
  }

  private ExtenderFilterResult filter(String ns, String name, int memMiB) {
    JsonNode pod = parse(KubeFixtures.gpuPod(ns, name, memMiB, 10));
    return extender.filter(new ExtenderArgs(pod, null, List.of("a", "b")));
  }

  private static JsonNode parse(String json) {
    try {
      return KubeFixtures.JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void quotasFromTheApiServerLimitTheNamespaceAndFollowItsChanges() throws Exception {
    assertThat(state.quotas().objects("team-a")).containsKey("gpu");
    assertThat(state.snapshot().namespaceUsage("team-a").memMiB()).isEqualTo(6000);

    ExtenderFilterResult over = filter("team-a", "p", 6000);
    assertThat(over.nodeNames()).isEmpty();
    assertThat(over.failedNodes().values())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r).contains("ResourceQuotaNotFit"));
    assertThat(filter("team-a", "p", 4000).nodeNames()).containsExactlyInAnyOrder("a", "b");
    assertThat(filter("team-b", "p", 8000).nodeNames())
        .as("a non-integral limit is ignored")
        .containsExactlyInAnyOrder("a", "b");

    server.mergePatch(
        "v1/resourcequotas",
        "team-a",
        "gpu",
        "{\"spec\":{\"hard\":{\"limits.nvidia.com/gpumem\":\"20000\"}}}");
    await(() -> filter("team-a", "p", 6000).nodeNames().size() == 2);

    server.mergePatch(
        "v1/resourcequotas",
        "team-a",
        "gpu",
        "{\"spec\":{\"hard\":{\"limits.nvidia.com/gpumem\":\"10000\"}}}");
    await(() -> filter("team-a", "p", 6000).nodeNames().isEmpty());
    server.delete("v1/pods", "team-a", "running");
    await(() -> filter("team-a", "p", 6000).nodeNames().size() == 2);
  }

  @Test
  void deletingTheResourceQuotaLiftsTheLimit() throws Exception {
    assertThat(filter("team-a", "p", 6000).nodeNames()).isEmpty();

    server.delete("v1/resourcequotas", "team-a", "gpu");

    await(() -> state.quotas().objects("team-a").isEmpty());
    assertThat(filter("team-a", "p", 6000).nodeNames()).containsExactlyInAnyOrder("a", "b");
  }
}
