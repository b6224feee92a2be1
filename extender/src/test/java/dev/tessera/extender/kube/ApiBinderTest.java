package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.Placement;
import dev.tessera.extender.testing.FakeApiServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiBinderTest {
  private FakeApiServer server;
  private InformerClusterState state;
  private ApiBinder binder;
  private final KubeFixtures.MutableClock clock =
      new KubeFixtures.MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final List<List<ContainerDevice>> devices =
      List.of(List.of(), List.of(ContainerDevice.of("GPU-a-1", "NVIDIA", 4000, 25)));

  @BeforeEach
  void start() throws Exception {
    server = FakeApiServer.start();
    server.create("v1/nodes", KubeFixtures.gpuNode("a", 2));
    server.create("v1/pods", KubeFixtures.pod("ns", "p", Map.of()));
    state = new InformerClusterState(server.client(), clock, Duration.ofSeconds(30));
    state.start();
    state.awaitSynced(Duration.ofSeconds(30));
    binder = new ApiBinder(server.client(), state, clock);
  }

  @AfterEach
  void stop() {
    state.close();
    server.close();
  }

  private String uid() {
    return server.get("v1/pods", "ns", "p").orElseThrow().path("metadata").path("uid").asText();
  }

  private Placement placement() {
    return new Placement("ns/p", uid(), "a", 1, devices);
  }

  @Test
  void bindWritesHamiAnnotationsThenTheBinding() throws Exception {
    binder.bind("ns", "p", uid(), placement());

    JsonNode pod = server.get("v1/pods", "ns", "p").orElseThrow();
    JsonNode ann = pod.path("metadata").path("annotations");
    String value = ";GPU-a-1,NVIDIA,4000,25:;";
    assertThat(ann.path(Annotations.DEVICES_TO_ALLOCATE).asText()).isEqualTo(value);
    assertThat(ann.path(Annotations.DEVICES_ALLOCATED).asText()).isEqualTo(value);
    assertThat(PodDevicesCodec.decode(Annotations.DEVICES_ALLOCATED, value)).startsWith(devices.get(0), devices.get(1));
    assertThat(ann.path(Annotations.VGPU_NODE).asText()).isEqualTo("a");
    assertThat(ann.path(Annotations.VGPU_TIME).asText()).isEqualTo("1795435200");
    assertThat(ann.path(Annotations.BIND_PHASE).asText()).isEqualTo("allocating");
    assertThat(ann.path(Annotations.BIND_TIME).asText()).isEqualTo("1795435200");
    assertThat(pod.path("metadata").path("labels").path(Annotations.VGPU_NODE).asText()).isEqualTo("a");
    assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo("a");

    var writes =
        server.requests().stream().filter(r -> !r.method().equals("GET")).toList();
    assertThat(writes).extracting(FakeApiServer.Request::method).containsExactly("PATCH", "POST");
    assertThat(writes.get(0).contentType()).startsWith("application/merge-patch+json");
    assertThat(writes.get(1).path()).isEqualTo("/api/v1/namespaces/ns/pods/p/binding");

    // The informer confirms the assumption; the booking stays exactly once.
    await(() -> state.pendingAssumptions() == 0);
    assertThat(state.snapshot().node("a").orElseThrow().usage().get(1).usedMemMiB()).isEqualTo(4000);
    assertThat(state.snapshot().podCount()).isEqualTo(1);
  }

  @Test
  void failedBindingMarksThePodFailedAndReleasesTheBooking() throws Exception {
    server.failNext("POST", ".*/pods/p/binding", 409, "pod p is being deleted");
    assertThatThrownBy(() -> binder.bind("ns", "p", uid(), placement()))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("ns/p")
        .hasMessageContaining(" a:")
        .hasMessageContaining("HTTP 409 pod p is being deleted");

    JsonNode pod = server.get("v1/pods", "ns", "p").orElseThrow();
    assertThat(pod.path("metadata").path("annotations").path(Annotations.BIND_PHASE).asText())
        .isEqualTo("failed");
    assertThat(pod.path("spec").path("nodeName").asText()).isEmpty();
    assertThat(state.snapshot().podCount()).isZero();
    await(() -> state.pod("ns", "p").map(p -> p.getMetadata().getAnnotations() != null
        && "failed".equals(p.getMetadata().getAnnotations().get(Annotations.BIND_PHASE))).orElse(false));
    assertThat(state.snapshot().podCount()).isZero();

    // kube-scheduler retries; the second bind succeeds and books once.
    binder.bind("ns", "p", uid(), placement());
    await(() -> state.pendingAssumptions() == 0);
    assertThat(state.snapshot().podCount()).isEqualTo(1);
    assertThat(state.snapshot().node("a").orElseThrow().usage().get(1).usedMemMiB()).isEqualTo(4000);
  }

  @Test
  void failedPatchReleasesTheBookingAndDoesNotBind() {
    server.failNext("PATCH", ".*/pods/p", 500, "etcd unavailable");
    assertThatThrownBy(() -> binder.bind("ns", "p", uid(), placement()))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("patching the pod annotations failed: HTTP 500 etcd unavailable");
    assertThat(state.snapshot().podCount()).isZero();
    assertThat(server.requests()).noneMatch(r -> r.path().endsWith("/binding"));
  }

  @Test
  void bindToAnUnregisteredNodeIsRefusedBeforeAnyWrite() {
    assertThatThrownBy(
            () -> binder.bind("ns", "p", uid(), new Placement("ns/p", uid(), "ghost", 1, devices)))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("ghost is not a registered GPU node");
    assertThat(server.requests()).allMatch(r -> r.method().equals("GET"));
  }
}
