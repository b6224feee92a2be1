package dev.tessera.deviceplugin.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.deviceplugin.allocate.ContainerSpec;
import dev.tessera.deviceplugin.server.PodInfo;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodRef;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesClusterAccessTest {
  private static final String NODE = "gpu-1";
  private static final PodRef TRAIN = new PodRef("ml", "train");

  private StubApiServer api;
  private KubernetesClusterAccess access;

  @BeforeEach
  void start() throws IOException {
    api = new StubApiServer();
    access = new KubernetesClusterAccess(api.client());
    api.putPod(
        """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"train","namespace":"ml","uid":"u-1",
                     "annotations":{"hami.io/bind-phase":"allocating"}},
         "spec":{"nodeName":"gpu-1",
                 "initContainers":[{"name":"fetch"}],
                 "containers":[{"name":"main","env":[
                    {"name":"CUDA_DISABLE_CONTROL","value":"true"},
                    {"name":"FROM_SECRET","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]}]},
         "status":{"phase":"Pending"}}
        """);
    api.putPod(
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"ml","uid":"u-2"},
         "spec":{"nodeName":"cpu-1","containers":[{"name":"web"}]},"status":{"phase":"Running"}}
        """);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void listsTheNodesPodsWithContainersLiteralEnvAndPhase() {
    var pods = access.podsOnNode(NODE);

    assertThat(pods).hasSize(1);
    PodInfo p = pods.get(0);
    assertThat(p.ref()).isEqualTo(TRAIN);
    assertThat(p.spec().uid()).isEqualTo("u-1");
    assertThat(p.nodeName()).isEqualTo(NODE);
    assertThat(p.phase()).isEqualTo("Pending");
    assertThat(p.spec().annotations()).containsEntry(Annotations.BIND_PHASE, "allocating");
    assertThat(p.spec().initContainers()).containsExactly(ContainerSpec.named("fetch"));
    assertThat(p.spec().containers())
        .containsExactly(new ContainerSpec("main", Map.of("CUDA_DISABLE_CONTROL", "true")));
  }

  @Test
  void aMissingPodIsEmptyNotAnError() {
    assertThat(access.pod(new PodRef("ml", "gone"))).isEmpty();
    assertThat(access.pod(TRAIN)).isPresent();
  }

  @Test
  void podAnnotationsAreMergePatchedAndNullRemovesAKey() {
    var patch = new HashMap<String, String>();
    patch.put(Annotations.DEVICES_TO_ALLOCATE, ";");
    patch.put(Annotations.BIND_PHASE, null);

    access.patchAnnotations(TRAIN, patch);

    var request = api.requests.get(api.requests.size() - 1);
    assertThat(request.method()).isEqualTo("PATCH");
    assertThat(request.contentType()).startsWith("application/merge-patch+json");
    var annotations = api.pod("ml", "train").at("/metadata/annotations");
    assertThat(annotations.get(Annotations.DEVICES_TO_ALLOCATE).asText()).isEqualTo(";");
    assertThat(annotations.has(Annotations.BIND_PHASE)).isFalse();
  }

  @Test
  void nodeAnnotationsArePatched() {
    api.putNode(NODE, Map.of());
    access.patchNodeAnnotations(NODE, Map.of(Annotations.NODE_REGISTER, "[]"));
    assertThat(
            api.node(NODE)
                .at("/metadata/annotations/" + escape(Annotations.NODE_REGISTER))
                .asText())
        .isEqualTo("[]");
  }

  @Test
  void theLockIsReleasedOnlyForItsHolderWithTheReadResourceVersion() {
    api.putNode(NODE, Map.of(Annotations.NODE_LOCK, "2026-11-23T11:00:00Z,ml,other"));
    assertThat(access.nodeLock(NODE)).contains("2026-11-23T11:00:00Z,ml,other");

    access.releaseNodeLock(NODE, TRAIN);
    assertThat(access.nodeLock(NODE)).isPresent();
    assertThat(api.requests).noneMatch(r -> r.method().equals("PATCH"));

    api.putNode(NODE, Map.of(Annotations.NODE_LOCK, "2026-11-23T11:00:00Z,ml,train"));
    access.releaseNodeLock(NODE, TRAIN);
    assertThat(access.nodeLock(NODE)).isEmpty();
    assertThat(api.requests)
        .filteredOn(r -> r.method().equals("PATCH"))
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("\"resourceVersion\""));
  }

  @Test
  void aConcurrentNodeWriteIsRetried() {
    api.putNode(NODE, Map.of(Annotations.NODE_LOCK, "2026-11-23T11:00:00Z,ml,train"));
    api.conflictsToInject = 1;

    access.releaseNodeLock(NODE, TRAIN);

    assertThat(access.nodeLock(NODE)).isEmpty();
    assertThat(api.requests).filteredOn(r -> r.method().equals("PATCH")).hasSize(2);
  }

  @Test
  void serverErrorsNameTheCallAndTheAnswer() {
    api.failuresToInject = 1;
    assertThatThrownBy(() -> access.podsOnNode(NODE))
        .isInstanceOfSatisfying(
            KubernetesAccessException.class, e -> assertThat(e.code()).isEqualTo(500))
        .hasMessageContaining("listing the pods of node gpu-1")
        .hasMessageContaining("etcd is unavailable");
  }

  private static String escape(String jsonPointerSegment) {
    return jsonPointerSegment.replace("~", "~0").replace("/", "~1");
  }
}
