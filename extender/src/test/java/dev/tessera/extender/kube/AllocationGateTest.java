package dev.tessera.extender.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.codec.UnixTime;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.extender.state.BindException;
import dev.tessera.extender.wire.KubePod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AllocationGateTest {
  private static final String NODE = "n1";
  private final KubeFixtures.MutableClock clock =
      new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final List<Thread> threads = new ArrayList<>();

  private AllocationGate gate(Duration waitLimit) {
    return new AllocationGate(
        new AllocationGate.Settings(Duration.ofSeconds(30), waitLimit), clock);
  }

  /** The annotations the extender writes in bind: one entry per container with that many GPUs. */
  private Map<String, String> bindAnnotations(String node, Instant bindTime, int... gpus) {
    var entries = new ArrayList<List<ContainerDevice>>();
    for (int n : gpus) {
      var devices = new ArrayList<ContainerDevice>();
      for (int i = 0; i < n; i++) {
        devices.add(ContainerDevice.of("GPU-" + i, "NVIDIA", 1000, 10));
      }
      entries.add(devices);
    }
    var a = new LinkedHashMap<String, String>();
    a.put(Annotations.DEVICES_TO_ALLOCATE, PodDevicesCodec.encode(entries));
    a.put(Annotations.VGPU_NODE, node);
    a.put(Annotations.BIND_PHASE, "allocating");
    a.put(Annotations.BIND_TIME, UnixTime.format(bindTime));
    return a;
  }

  private static KubePod pod(String name, Map<String, String> annotations) {
    try {
      return KubePod.fromJson(
          KubeFixtures.JSON.readTree(KubeFixtures.pod("ml", name, annotations)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, String> with(Map<String, String> a, String key, String value) {
    var out = new LinkedHashMap<>(a);
    out.put(key, value);
    return out;
  }

  /** What the device plugin writes once it served the pod's only container. */
  private static Map<String, String> served(Map<String, String> a, String phase) {
    var out = with(a, Annotations.BIND_PHASE, phase);
    out.put(Annotations.DEVICES_TO_ALLOCATE, PodDevicesCodec.encode(List.of(List.of())));
    return out;
  }

  /** Runs enter on its own thread; the future completes when it returns or throws. */
  private CompletableFuture<Void> enterAsync(
      AllocationGate gate, String pod, Map<String, String> annotations) {
    var done = new CompletableFuture<Void>();
    Thread t =
        new Thread(
            () -> {
              try {
                gate.enter(pod, NODE, annotations);
                done.complete(null);
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
              }
            },
            "bind-" + pod);
    threads.add(t);
    t.start();
    return done;
  }

  /** Waits until {@code t} sleeps in the gate's condition (the only timed wait on that path). */
  private static void awaitWaiting(Thread t) throws InterruptedException {
    KubeFixtures.await(() -> t.getState() == Thread.State.TIMED_WAITING);
  }

  private Thread thread(String pod) {
    return threads.stream()
        .filter(t -> t.getName().equals("bind-" + pod))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void podsWithOtherCountsOrOnOtherNodesPassAtOnce() {
    AllocationGate gate = gate(Duration.ZERO);
    gate.podChanged(pod("one", bindAnnotations(NODE, clock.instant(), 1)));
    assertThat(gate.waitingOn(NODE)).containsExactly("ml/one");

    // A zero wait limit makes any wait an error, so passing means not waiting.
    gate.enter("ml/two", NODE, bindAnnotations(NODE, clock.instant(), 2));
    gate.enter("ml/other-node", "n2", bindAnnotations("n2", clock.instant(), 1));
    gate.enter("ml/no-gpu", NODE, Map.of(Annotations.VGPU_NODE, NODE));
    assertThat(gate.waitingOn(NODE)).containsExactly("ml/one", "ml/two");
    assertThat(gate.waitingOn("n2")).containsExactly("ml/other-node");
  }

  @Test
  void aSecondBindWithTheSameCountsOnTheNodeFailsAtTheLimitNamingTheFirst() {
    AllocationGate gate = gate(Duration.ZERO);
    gate.enter("ml/left", NODE, bindAnnotations(NODE, clock.instant(), 1));

    assertThatThrownBy(
            () -> gate.enter("ml/right", NODE, bindAnnotations(NODE, clock.instant(), 1)))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("pod ml/right was not bound to node n1")
        .hasMessageContaining("ml/left")
        .hasMessageContaining("[1]")
        .hasMessageContaining("kube-scheduler will retry");
    assertThat(gate.waitingOn(NODE)).containsExactly("ml/left");
  }

  @Test
  void multiContainerPodsSharingACountAreTreatedAsIndistinguishable() {
    AllocationGate gate = gate(Duration.ZERO);
    gate.enter("ml/pair", NODE, bindAnnotations(NODE, clock.instant(), 1, 2));
    // After pair's first container is served both would wait for a 2-GPU call.
    assertThatThrownBy(() -> gate.enter("ml/two", NODE, bindAnnotations(NODE, clock.instant(), 2)))
        .isInstanceOf(BindException.class);
    gate.enter("ml/four", NODE, bindAnnotations(NODE, clock.instant(), 4));
  }

  private void waitsUntil(Consumer<AllocationGate> release, Map<String, String> left)
      throws Exception {
    AllocationGate gate = gate(Duration.ofSeconds(30));
    gate.enter("ml/left", NODE, left);
    gate.podChanged(pod("left", left));
    var right = enterAsync(gate, "ml/right", bindAnnotations(NODE, clock.instant(), 1));
    awaitWaiting(thread("ml/right"));
    assertThat(right).isNotDone();

    release.accept(gate);
    right.get(30, TimeUnit.SECONDS);
    assertThat(gate.waitingOn(NODE)).containsExactly("ml/right");
  }

  @Test
  void aWaitingBindProceedsWhenThePluginMarksSuccess() throws Exception {
    var left = bindAnnotations(NODE, clock.instant(), 1);
    waitsUntil(g -> g.podChanged(pod("left", served(left, "success"))), left);
  }

  @Test
  void aWaitingBindProceedsWhenThePluginMarksFailed() throws Exception {
    var left = bindAnnotations(NODE, clock.instant(), 1);
    waitsUntil(g -> g.podChanged(pod("left", with(left, Annotations.BIND_PHASE, "failed"))), left);
  }

  @Test
  void aWaitingBindProceedsWhenThePodIsDeleted() throws Exception {
    waitsUntil(g -> g.podDeleted("ml/left"), bindAnnotations(NODE, clock.instant(), 1));
  }

  @Test
  void aWaitingBindProceedsWhenTheFirstBindIsAbandoned() throws Exception {
    waitsUntil(g -> g.abandon("ml/left"), bindAnnotations(NODE, clock.instant(), 1));
  }

  @Test
  void aWaitingBindProceedsOnceTheFirstPodsBindTimeIsStale() throws Exception {
    var left = bindAnnotations(NODE, clock.instant(), 1);
    waitsUntil(g -> clock.advance(Duration.ofSeconds(31)), left);
  }

  @Test
  void aPodWhoseBindTimeIsAlreadyStaleBlocksNothing() {
    AllocationGate gate = gate(Duration.ZERO);
    gate.podChanged(pod("old", bindAnnotations(NODE, clock.instant().minusSeconds(30), 1)));
    gate.enter("ml/new", NODE, bindAnnotations(NODE, clock.instant(), 1));
  }

  @Test
  void anInformerEventFromBeforeTheAnnotationsWereWrittenDoesNotReleaseTheMark() {
    AllocationGate gate = gate(Duration.ZERO);
    Instant t = clock.instant().minusSeconds(5);
    var left = bindAnnotations(NODE, t, 1);
    gate.enter("ml/left", NODE, left);
    // The pod as the informer knew it before the bind: no annotations.
    gate.podChanged(pod("left", Map.of()));
    assertThat(gate.waitingOn(NODE)).containsExactly("ml/left");
    // Once the plugin marks success on this bind, it is released.
    gate.podChanged(pod("left", served(left, "success")));
    assertThat(gate.waitingOn(NODE)).isEmpty();
  }

  @Test
  void twoBindsWaitingOnTheSamePodProceedOneAtATime() throws Exception {
    AllocationGate gate = gate(Duration.ofSeconds(30));
    var first = bindAnnotations(NODE, clock.instant(), 1);
    gate.enter("ml/first", NODE, first);
    var b = enterAsync(gate, "ml/b", bindAnnotations(NODE, clock.instant(), 1));
    var c = enterAsync(gate, "ml/c", bindAnnotations(NODE, clock.instant(), 1));
    awaitWaiting(thread("ml/b"));
    awaitWaiting(thread("ml/c"));

    gate.podDeleted("ml/first");
    CompletableFuture.anyOf(b, c).get(30, TimeUnit.SECONDS);
    String winner = b.isDone() ? "ml/b" : "ml/c";
    String loser = b.isDone() ? "ml/c" : "ml/b";
    // The other one went back to waiting, now on the winner's in-flight mark.
    awaitWaiting(thread(loser));
    assertThat(b.isDone() && c.isDone()).isFalse();
    assertThat(gate.waitingOn(NODE)).containsExactly(winner);

    gate.abandon(winner);
    (b.isDone() ? c : b).get(30, TimeUnit.SECONDS);
    assertThat(gate.waitingOn(NODE)).containsExactly(loser);
  }

  @Test
  void aBindWaitingPastTheLimitFails() {
    AllocationGate gate = gate(Duration.ofMillis(50));
    gate.podChanged(pod("left", bindAnnotations(NODE, clock.instant(), 1)));
    assertThatThrownBy(
            () -> gate.enter("ml/right", NODE, bindAnnotations(NODE, clock.instant(), 1)))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("waited 50 ms")
        .hasMessageContaining("ml/left");
    assertThat(gate.waitingOn(NODE)).containsExactly("ml/left");
  }

  @Test
  void settingsRejectNonsense() {
    assertThatThrownBy(() -> new AllocationGate.Settings(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("staleAfter");
    assertThatThrownBy(
            () -> new AllocationGate.Settings(Duration.ofSeconds(30), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("waitLimit");
  }

  @Test
  void aShutdownEndsAWaitingBindWithAnErrorAndRefusesNewWaitsButNotFreeBinds() throws Exception {
    var shutdown = new dev.tessera.extender.state.ShutdownSignal();
    AllocationGate gate =
        new AllocationGate(
            new AllocationGate.Settings(Duration.ofSeconds(30), Duration.ofMinutes(10), shutdown),
            clock);
    gate.enter("ml/first", NODE, bindAnnotations(NODE, clock.instant(), 1));
    CompletableFuture<Void> waiting =
        enterAsync(gate, "ml/second", bindAnnotations(NODE, clock.instant(), 1));
    awaitWaiting(thread("ml/second"));

    shutdown.stop();

    assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(BindException.class)
        .hasMessageContaining("pod ml/second was not bound to node n1")
        .hasMessageContaining("shutting down")
        .hasMessageContaining("ml/first");
    // Nothing recorded for the refused pod; a same-shaped newcomer fails without waiting.
    assertThat(gate.waitingOn(NODE)).containsExactly("ml/first");
    assertThatThrownBy(
            () -> gate.enter("ml/third", NODE, bindAnnotations(NODE, clock.instant(), 1)))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("shutting down");
    // A bind with nothing to wait for still goes through during the drain.
    gate.enter("ml/two-gpus", NODE, bindAnnotations(NODE, clock.instant(), 2));
    assertThat(gate.waitingOn(NODE)).containsExactly("ml/first", "ml/two-gpus");
  }
}
