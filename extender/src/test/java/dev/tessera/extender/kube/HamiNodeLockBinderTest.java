package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.state.ShutdownSignal;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --device-plugin hami}: binds take HAMi's node lock ({@code hami.io/mutex.lock}, §3.4) the
 * way HAMi's scheduler does, so HAMi's device plugin serves the pod the lock names instead of the
 * first Pending pod it finds; the lock is left for the plugin to release after Allocate, released
 * by the extender when the bind fails, and waited for (bounded) while another live pod holds it.
 */
class HamiNodeLockBinderTest {
  private static final String NODE = "a";
  private static final String NODE_PATH = "/api/v1/nodes/" + NODE;

  private FakeApiServer server;
  private LiveCluster live;
  private final ShutdownSignal shutdown = new ShutdownSignal();
  private final KubeFixtures.MutableClock clock =
      new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    server = FakeApiServer.start();
    server.create("v1/nodes", KubeFixtures.gpuNode(NODE, 2));
    for (String p : List.of("p1", "p2", "holder")) {
      server.create("v1/pods", KubeFixtures.gpuPod("ns", p, 4000, 25));
    }
    live =
        LiveCluster.connect(
            new LiveCluster.Clients(server.client(), server.client(Duration.ofSeconds(10))),
            new LiveCluster.Settings(Optional.empty(), "nvidia.com/gpu", Optional.empty()),
            clock);
    live.awaitReady(Duration.ofSeconds(30));
    await(() -> live.state().snapshot().node(NODE).isPresent());
  }

  @AfterEach
  void stop() {
    live.close();
    server.close();
  }

  private Extender extender(Duration waitLimit) {
    var binder =
        new HamiNodeLockBinder(
            live.binder(),
            server.client(),
            () -> true,
            new HamiNodeLockBinder.Settings(
                waitLimit, Duration.ofMinutes(5), Duration.ofMillis(20)),
            shutdown,
            clock);
    return KubeFixtures.extender(
        live.state(), binder, new Reservations(live.state(), clock, Duration.ofMinutes(1)), clock);
  }

  private ExtenderBindingResult bind(Extender e, String pod) {
    String uid =
        server.get("v1/pods", "ns", pod).orElseThrow().path("metadata").path("uid").asText();
    return e.bind(new ExtenderBindingArgs(pod, "ns", uid, NODE));
  }

  private String lock() {
    return server
        .get("v1/nodes", "", NODE)
        .orElseThrow()
        .path("metadata")
        .path("annotations")
        .path(Annotations.NODE_LOCK)
        .asText(null);
  }

  private void setLock(String value) throws InterruptedException {
    server.mergePatch(
        "v1/nodes",
        "",
        NODE,
        "{\"metadata\":{\"annotations\":{\"" + Annotations.NODE_LOCK + "\":\"" + value + "\"}}}");
    await(
        () ->
            value.equals(
                live.state()
                    .nodeObjects()
                    .get(0)
                    .getMetadata()
                    .getAnnotations()
                    .get(Annotations.NODE_LOCK)));
  }

  private JsonNode podAnnotations(String pod) {
    return server.get("v1/pods", "ns", pod).orElseThrow().path("metadata").path("annotations");
  }

  private long nodeReads() {
    return server.requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().equals(NODE_PATH))
        .count();
  }

  /** What HAMi's device plugin does once it served the holder's only container (§8.3, §8.4). */
  private void pluginServes(String pod) {
    server.mergePatch(
        "v1/pods",
        "ns",
        pod,
        "{\"metadata\":{\"annotations\":{\""
            + Annotations.DEVICES_TO_ALLOCATE
            + "\":\";\",\""
            + Annotations.BIND_PHASE
            + "\":\"success\"}}}");
    server.mergePatch(
        "v1/nodes",
        "",
        NODE,
        "{\"metadata\":{\"annotations\":{\"" + Annotations.NODE_LOCK + "\":null}}}");
  }

  @Test
  void aBindTakesHamisLockBeforeWritingAndLeavesItForThePlugin() {
    var r = bind(extender(Duration.ofSeconds(5)), "p1");

    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(lock()).isEqualTo("2026-11-23T12:00:00Z,ns,p1");
    var requests = server.requests();
    int lockPatch = -1;
    int podPatch = -1;
    int binding = -1;
    for (int i = 0; i < requests.size(); i++) {
      var q = requests.get(i);
      if (q.method().equals("PATCH") && q.path().equals(NODE_PATH)) {
        lockPatch = i;
        // A merge patch carrying the node's resourceVersion: optimistic, as HAMi writes it.
        assertThat(q.contentType()).startsWith("application/merge-patch+json");
        assertThat(q.body()).contains("\"resourceVersion\"").contains(Annotations.NODE_LOCK);
      } else if (q.method().equals("PATCH") && q.path().endsWith("/pods/p1")) {
        podPatch = i;
      } else if (q.method().equals("POST") && q.path().endsWith("/pods/p1/binding")) {
        binding = i;
      }
    }
    assertThat(lockPatch).isNotNegative().isLessThan(podPatch);
    assertThat(podPatch).isLessThan(binding);
  }

  @Test
  void aSecondBindOnTheNodeWaitsUntilThePluginReleasesTheLockThenTakesIt() throws Exception {
    Extender e = extender(Duration.ofSeconds(60));
    assertThat(bind(e, "p1").ok()).isTrue();
    long before = nodeReads();

    CompletableFuture<ExtenderBindingResult> second =
        CompletableFuture.supplyAsync(() -> bind(e, "p2"));
    await(() -> nodeReads() >= before + 3); // looked at the lock more than once: waiting
    assertThat(second).isNotDone();
    assertThat(podAnnotations("p2").has(Annotations.VGPU_NODE)).isFalse();
    pluginServes("p1");

    var r = second.get(30, TimeUnit.SECONDS);
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(lock()).isEqualTo("2026-11-23T12:00:00Z,ns,p2");
    assertThat(podAnnotations("p2").path(Annotations.BIND_PHASE).asText()).isEqualTo("allocating");
  }

  @Test
  void aLockHeldPastTheWaitLimitFailsTheBindNamingTheHolderAndWritesNothing() throws Exception {
    setLock("2026-11-23T11:59:30Z,ns,holder");

    var r = bind(extender(Duration.ZERO), "p1");

    assertThat(r.error())
        .contains("pod ns/p1 was not bound to node a")
        .contains("node a has been locked within 5m0s")
        .contains("2026-11-23T11:59:30Z,ns,holder")
        .contains("kube-scheduler will retry");
    assertThat(lock()).isEqualTo("2026-11-23T11:59:30Z,ns,holder");
    assertThat(podAnnotations("p1").has(Annotations.VGPU_NODE)).isFalse();
    assertThat(live.state().snapshot().nodeOf("ns/p1")).isEmpty();
  }

  @Test
  void aRefusedBindingReleasesTheLockAndMarksThePodFailed() throws Exception {
    server.failNext("POST", ".*/pods/p1/binding", 409, "pod p1 is being deleted");

    var r = bind(extender(Duration.ofSeconds(5)), "p1");

    assertThat(r.error()).contains("pod p1 is being deleted");
    assertThat(lock()).isNull();
    assertThat(podAnnotations("p1").path(Annotations.BIND_PHASE).asText()).isEqualTo("failed");
  }

  @Test
  void aLockWhoseHolderIsGoneOrThatExpiredIsTakenOver() throws Exception {
    setLock("2026-11-23T11:59:59Z,ns,deleted-pod");
    var first = bind(extender(Duration.ZERO), "p1");
    assertThat(first.ok()).as(first.error()).isTrue();
    assertThat(lock()).isEqualTo("2026-11-23T12:00:00Z,ns,p1");

    // p1 was served but still exists, and its lock (never released) is older than 5 min.
    pluginServes("p1");
    await(
        () ->
            "success"
                .equals(
                    live.state()
                        .pod("ns", "p1")
                        .orElseThrow()
                        .annotations()
                        .get(Annotations.BIND_PHASE)));
    setLock("2026-11-23T11:54:00Z,ns,p1");
    var second = bind(extender(Duration.ZERO), "p2");
    assertThat(second.ok()).as(second.error()).isTrue();
    assertThat(lock()).isEqualTo("2026-11-23T12:00:00Z,ns,p2");
  }

  @Test
  void aShutdownEndsTheWaitForALockWithAnErrorAndNothingWritten() throws Exception {
    setLock("2026-11-23T11:59:30Z,ns,holder");
    Extender e = extender(Duration.ofMinutes(10));
    long before = nodeReads();
    CompletableFuture<ExtenderBindingResult> waiting =
        CompletableFuture.supplyAsync(() -> bind(e, "p1"));
    await(() -> nodeReads() >= before + 2);

    shutdown.stop();

    var r = waiting.get(30, TimeUnit.SECONDS);
    assertThat(r.error()).contains("pod ns/p1 was not bound to node a").contains("shutting down");
    assertThat(podAnnotations("p1").has(Annotations.VGPU_NODE)).isFalse();
    assertThat(lock()).isEqualTo("2026-11-23T11:59:30Z,ns,holder");
    assertThat(live.state().snapshot().nodeOf("ns/p1")).isEmpty();
  }

  @Test
  void withoutAGpuNodeInTheAnnotationsNothingIsLocked() {
    var binder =
        new HamiNodeLockBinder(
            live.binder(),
            server.client(),
            () -> true,
            HamiNodeLockBinder.Settings.of(Duration.ZERO),
            shutdown,
            clock);
    binder.annotate(live.state().pod("ns", "p1").orElseThrow(), Map.of("x", "y"), Map.of());
    assertThat(lock()).isNull();
    assertThat(podAnnotations("p1").path("x").asText()).isEqualTo("y");
  }
}
