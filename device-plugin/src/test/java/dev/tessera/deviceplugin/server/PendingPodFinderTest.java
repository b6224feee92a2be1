package dev.tessera.deviceplugin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.deviceplugin.allocate.ContainerSpec;
import dev.tessera.deviceplugin.allocate.PodSpec;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.model.ContainerDevice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingPodFinderTest {
  private static final String NODE = "n1";
  private static final String GPU = "GPU-0b9b5c8e-1111-2222-3333-444455556666";

  private final FakeKubernetes k8s = new FakeKubernetes();
  private final PendingPodFinder finder = new PendingPodFinder(k8s);

  @Test
  void theLockHolderWinsOverOtherWaitingPods() {
    put("a", Map.of());
    put("b", Map.of());
    k8s.lock(NODE, "2026-11-23T11:00:00Z,default,b");
    assertThat(finder.find(NODE, List.of(1)).spec().name()).isEqualTo("b");
  }

  @Test
  void aLockHeldByAMissingPodIsAnError() {
    put("a", Map.of());
    k8s.lock(NODE, "2026-11-23T11:00:00Z,default,gone");
    assertThatThrownBy(() -> finder.find(NODE, List.of(1)))
        .isInstanceOfSatisfying(
            PodLookupException.class,
            e -> assertThat(e.kind()).isEqualTo(PodLookupException.Kind.BAD_LOCK))
        .hasMessageContaining("locked by pod default/gone")
        .hasMessageContaining("does not exist");
  }

  @Test
  void anUnreadableLockIsAnError() {
    put("a", Map.of());
    k8s.lock(NODE, "yesterday,default");
    assertThatThrownBy(() -> finder.find(NODE, List.of(1)))
        .isInstanceOf(PodLookupException.class)
        .hasMessageContaining("unreadable " + Annotations.NODE_LOCK);
  }

  @Test
  void aLegacyLockWithoutHolderFallsBackToTheSingleWaitingPod() {
    put("a", Map.of());
    k8s.lock(NODE, "2026-11-23T11:00:00Z");
    assertThat(finder.find(NODE, List.of(1)).spec().name()).isEqualTo("a");
  }

  @Test
  void podsNotBoundHereOrNotWaitingAreNotCandidates() {
    put("other-node", Map.of(Annotations.VGPU_NODE, "n2"));
    put("failed", Map.of(Annotations.BIND_PHASE, "failed"));
    put("no-bind-time", Map.of(Annotations.BIND_TIME, ""));
    put("served", Map.of(Annotations.DEVICES_TO_ALLOCATE, ";"));
    var running = pod("running", Map.of());
    k8s.put(new PodInfo(running.spec(), NODE, "Running"));
    put("the-one", Map.of());
    // "no-bind-time" still has the key (empty value), as HAMi only checks presence.
    assertThatThrownBy(() -> finder.find(NODE, List.of(1)))
        .isInstanceOf(PodLookupException.class)
        .hasMessageContaining("default/no-bind-time")
        .hasMessageContaining("default/the-one")
        .hasMessageNotContaining("default/served")
        .hasMessageNotContaining("default/failed");
  }

  private void put(String name, Map<String, String> overrides) {
    k8s.put(pod(name, overrides));
  }

  private static PodInfo pod(String name, Map<String, String> overrides) {
    var a = new HashMap<String, String>();
    a.put(
        Annotations.DEVICES_TO_ALLOCATE,
        PodDevicesCodec.encode(List.of(List.of(ContainerDevice.of(GPU, "T4", 1000, 10)))));
    a.put(Annotations.BIND_PHASE, "allocating");
    a.put(Annotations.BIND_TIME, "1763895600");
    a.put(Annotations.VGPU_NODE, NODE);
    a.putAll(overrides);
    var spec =
        new PodSpec(
            "uid-" + name, name, "default", a, List.of(), List.of(ContainerSpec.named("c")));
    return new PodInfo(spec, NODE, "Pending");
  }
}
