package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.state.BindException;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import dev.tessera.extender.wire.KubePod;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiBinderTest {
  private FakeApiServer server;
  private InformerClusterState state;
  private ApiBinder binder;
  private Reservations reservations;
  private Extender extender;
  private final KubeFixtures.MutableClock clock =
      new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    server = FakeApiServer.start();
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 2));
    server.create("v1/pods", KubeFixtures.gpuPod("ns", "p", 4000, 25));
    state = KubeFixtures.startedState(server, clock);
    binder = new ApiBinder(server.client(Duration.ofSeconds(10)));
    reservations = new Reservations(state, clock, Duration.ofSeconds(30));
    extender = KubeFixtures.extender(state, binder, reservations, clock);
  }

  @AfterEach
  void stop() {
    state.close();
    server.close();
  }

  private KubePod pod() {
    return state.pod("ns", "p").orElseThrow();
  }

  private JsonNode stored() {
    return server.get("v1/pods", "ns", "p").orElseThrow();
  }

  private String uid() {
    return stored().path("metadata").path("uid").asText();
  }

  @Test
  void annotateIsOneMergePatchAndBindPostsTheBinding() {
    binder.annotate(
        pod(), Map.of("hami.io/vgpu-node", "a", "k", "v"), Map.of("hami.io/vgpu-node", "a"));
    binder.bind(pod(), "a");

    JsonNode meta = stored().path("metadata");
    assertThat(meta.path("annotations").path("k").asText()).isEqualTo("v");
    assertThat(meta.path("labels").path("hami.io/vgpu-node").asText()).isEqualTo("a");
    assertThat(stored().path("spec").path("nodeName").asText()).isEqualTo("a");
    var writes = server.requests().stream().filter(r -> !r.method().equals("GET")).toList();
    assertThat(writes).extracting(FakeApiServer.Request::method).containsExactly("PATCH", "POST");
    assertThat(writes.get(0).contentType()).startsWith("application/merge-patch+json");
    assertThat(writes.get(1).path()).isEqualTo("/api/v1/namespaces/ns/pods/p/binding");
    assertThat(writes.get(1).body()).contains(uid());
  }

  @Test
  void refusedBindingMarksBindPhaseFailed() {
    server.failNext("POST", ".*/pods/p/binding", 409, "pod p is being deleted");
    assertThatThrownBy(() -> binder.bind(pod(), "a"))
        .isInstanceOf(BindException.class)
        .hasMessage("binding pod ns/p to node a failed: HTTP 409 pod p is being deleted");
    assertThat(stored().path("metadata").path("annotations").path(Annotations.BIND_PHASE).asText())
        .isEqualTo("failed");
  }

  /** The annotations bind writes for a one-GPU pod on node a. */
  private static Map<String, String> oneGpuOnA() {
    return Map.of(
        Annotations.VGPU_NODE, "a",
        Annotations.BIND_TIME, "1795435200",
        Annotations.BIND_PHASE, "allocating",
        Annotations.DEVICES_TO_ALLOCATE, "GPU-a-0,NVIDIA,4000,25:;");
  }

  @Test
  void aGatedBinderTakesThePodsMarkOffTheGateWhenTheApiServerRefuses() {
    var gate = new AllocationGate(AllocationGate.Settings.DEFAULTS, clock);
    var gated = new ApiBinder(server.client(Duration.ofSeconds(10)), java.util.Optional.of(gate));

    server.failNext("PATCH", ".*/pods/p", 500, "etcd unavailable");
    assertThatThrownBy(() -> gated.annotate(pod(), oneGpuOnA(), Map.of()))
        .isInstanceOf(BindException.class);
    assertThat(gate.waitingOn("a")).isEmpty();

    gated.annotate(pod(), oneGpuOnA(), Map.of());
    assertThat(gate.waitingOn("a")).containsExactly("ns/p");
    server.failNext("POST", ".*/pods/p/binding", 409, "conflict");
    assertThatThrownBy(() -> gated.bind(pod(), "a")).isInstanceOf(BindException.class);
    assertThat(gate.waitingOn("a")).isEmpty();
  }

  @Test
  void refusedPatchNamesThePodAndTheServerAnswer() {
    server.failNext("PATCH", ".*/pods/p", 500, "etcd unavailable");
    assertThatThrownBy(() -> binder.annotate(pod(), Map.of("x", "1"), Map.of()))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("pod ns/p")
        .hasMessageContaining("HTTP 500 etcd unavailable");
  }

  @Test
  void extenderBindWritesHamiAnnotationsAndTheInformerConfirmsOnce() throws Exception {
    ExtenderBindingResult r = extender.bind(new ExtenderBindingArgs("p", "ns", uid(), "a"));
    assertThat(r.ok()).as(r.error()).isTrue();

    JsonNode ann = stored().path("metadata").path("annotations");
    String allocated = ann.path(Annotations.DEVICES_ALLOCATED).asText();
    assertThat(ann.path(Annotations.DEVICES_TO_ALLOCATE).asText()).isEqualTo(allocated);
    var devices = PodDevicesCodec.decode(Annotations.DEVICES_ALLOCATED, allocated);
    assertThat(devices.get(0))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.usedMemMiB()).isEqualTo(4000);
              assertThat(d.usedCores()).isEqualTo(25);
              assertThat(d.uuid()).startsWith("GPU-a-");
            });
    assertThat(ann.path(Annotations.VGPU_NODE).asText()).isEqualTo("a");
    assertThat(ann.path(Annotations.VGPU_TIME).asText()).isEqualTo("1795435200");
    assertThat(ann.path(Annotations.BIND_PHASE).asText()).isEqualTo("allocating");
    assertThat(stored().path("metadata").path("labels").path(Annotations.VGPU_NODE).asText())
        .isEqualTo("a");
    assertThat(stored().path("spec").path("nodeName").asText()).isEqualTo("a");

    await(
        () ->
            state.observedPods() == 1 && state.pod("ns", "p").orElseThrow().nodeName().equals("a"));
    reservations.sweep();
    assertThat(reservations.pending()).isZero();
    var usage = state.snapshot().node("a").orElseThrow().usage();
    assertThat(usage.stream().mapToInt(u -> u.usedMemMiB()).sum()).isEqualTo(4000);
    assertThat(state.snapshot().podCount()).isEqualTo(1);
  }

  @Test
  void extenderBindRefusedByTheApiServerReleasesTheBookingAndARetrySucceeds() throws Exception {
    server.failNext("POST", ".*/pods/p/binding", 409, "conflict");
    ExtenderBindingResult r = extender.bind(new ExtenderBindingArgs("p", "ns", uid(), "a"));
    assertThat(r.error()).contains("ns/p").contains("node a").contains("HTTP 409 conflict");
    assertThat(state.snapshot().podCount()).isZero();
    assertThat(reservations.pending()).isZero();
    await(
        () ->
            "failed"
                .equals(
                    state.pod("ns", "p").orElseThrow().annotations().get(Annotations.BIND_PHASE)));
    assertThat(state.snapshot().podCount()).isZero();

    ExtenderBindingResult again = extender.bind(new ExtenderBindingArgs("p", "ns", uid(), "a"));
    assertThat(again.ok()).as(again.error()).isTrue();
    await(() -> state.observedPods() == 1);
    assertThat(state.snapshot().podCount()).isEqualTo(1);
  }

  private String bindPhase() {
    return stored().path("metadata").path("annotations").path(Annotations.BIND_PHASE).asText("");
  }

  @Test
  void aBindingWhoseAnswerIsLostButWhichLandedCountsAsBoundOnce() throws Exception {
    server.dropResponseNext("POST", ".*/pods/p/binding");
    ExtenderBindingResult r = extender.bind(new ExtenderBindingArgs("p", "ns", uid(), "a"));
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(stored().path("spec").path("nodeName").asText()).isEqualTo("a");
    assertThat(bindPhase()).isEqualTo("allocating");
    await(
        () ->
            state.observedPods() == 1 && state.pod("ns", "p").orElseThrow().nodeName().equals("a"));
    reservations.sweep();
    var usage = state.snapshot().node("a").orElseThrow().usage();
    assertThat(usage.stream().mapToInt(u -> u.usedMemMiB()).sum()).isEqualTo(4000);
  }

  @Test
  void aConflictBecauseThePodIsAlreadyBoundToThatNodeIsSuccess() {
    KubePod before = pod();
    // An earlier POST of the same Binding landed (e.g. the client retried after a lost answer).
    server.mergePatch("v1/pods", "ns", "p", "{\"spec\":{\"nodeName\":\"a\"}}");
    binder.bind(before, "a");
    assertThat(bindPhase()).isEmpty();
    assertThat(
            server.requests().stream()
                .filter(q -> q.method().equals("POST") || q.method().equals("PATCH"))
                .map(FakeApiServer.Request::method))
        .containsExactly("POST"); // the 409, and no bind-phase=failed patch
  }

  @Test
  void aConflictBecauseThePodIsBoundElsewhereFailsAndMarksIt() {
    KubePod before = pod();
    server.mergePatch("v1/pods", "ns", "p", "{\"spec\":{\"nodeName\":\"b\"}}");
    assertThatThrownBy(() -> binder.bind(before, "a"))
        .isInstanceOf(BindException.class)
        .hasMessageStartingWith("binding pod ns/p to node a failed: HTTP 409 ")
        .hasMessageEndingWith("(it is bound to b)");
    assertThat(bindPhase()).isEqualTo("failed");
  }

  @Test
  void aBindingThatTimesOutUnboundKeepsThePodCountedUntilItLands() throws Exception {
    var gate = new AllocationGate(AllocationGate.Settings.DEFAULTS, clock);
    var impatient =
        new ApiBinder(server.client(Duration.ofMillis(300)), java.util.Optional.of(gate));
    var annotations = new java.util.HashMap<>(oneGpuOnA());
    annotations.put(
        Annotations.DEVICES_ALLOCATED, annotations.get(Annotations.DEVICES_TO_ALLOCATE));
    impatient.annotate(pod(), annotations, Map.of(Annotations.VGPU_NODE, "a"));
    await(() -> state.snapshot().podCount() == 1); // the informer counts the annotated pod

    server.hang("POST", ".*/pods/p/binding");
    assertThatThrownBy(() -> impatient.bind(pod(), "a"))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("binding pod ns/p to node a has an unknown outcome")
        .hasMessageContaining("the pod is not bound yet");
    // Not marked failed: the Binding may still land, so its devices stay counted and the gate
    // keeps holding same-shaped binds back.
    assertThat(bindPhase()).isEqualTo("allocating");
    assertThat(gate.waitingOn("a")).containsExactly("ns/p");
    assertThat(state.snapshot().podCount()).isEqualTo(1);

    // It lands after the extender gave up: still counted exactly once.
    server.resume();
    await(() -> state.pod("ns", "p").orElseThrow().nodeName().equals("a"));
    assertThat(bindPhase()).isEqualTo("allocating");
    var usage = state.snapshot().node("a").orElseThrow().usage();
    assertThat(usage.stream().mapToInt(u -> u.usedMemMiB()).sum()).isEqualTo(4000);
  }

  @Test
  void aServerErrorAndAnUnreadablePodLeaveTheOutcomeUnknown() {
    server.failNext("POST", ".*/pods/p/binding", 500, "etcdserver: request timed out");
    server.failNext("GET", ".*/pods/p", 500, "etcd unavailable");
    assertThatThrownBy(() -> binder.bind(pod(), "a"))
        .isInstanceOf(BindException.class)
        .hasMessage(
            "binding pod ns/p to node a has an unknown outcome: HTTP 500 etcdserver: request timed"
                + " out; reading the pod back failed: HTTP 500 etcd unavailable; its devices stay"
                + " booked until the API server shows it bound or it is retried");
    assertThat(bindPhase()).isEmpty();
  }
}
