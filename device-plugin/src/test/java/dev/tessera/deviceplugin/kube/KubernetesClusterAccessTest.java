package dev.tessera.deviceplugin.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.deviceplugin.allocate.ContainerSpec;
import dev.tessera.deviceplugin.server.PodInfo;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodRef;
import dev.tessera.extender.testing.FakeApiServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesClusterAccessTest {
  private static final String NODE = "gpu-1";
  private static final PodRef TRAIN = new PodRef("ml", "train");
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeApiServer api;
  private KubernetesClusterAccess access;
  private String trainUid;

  @BeforeEach
  void start() {
    api = FakeApiServer.start();
    access = new KubernetesClusterAccess(api.client());
    trainUid =
        api.create(
                "v1/pods",
                """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"train","namespace":"ml",
                     "annotations":{"hami.io/bind-phase":"allocating"}},
         "spec":{"nodeName":"gpu-1",
                 "initContainers":[{"name":"fetch"}],
                 "containers":[{"name":"main","env":[
                    {"name":"CUDA_DISABLE_CONTROL","value":"true"},
                    {"name":"FROM_SECRET","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]}]},
         "status":{"phase":"Pending"}}
        """)
            .at("/metadata/uid")
            .asText();
    api.create(
        "v1/pods",
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"ml"},
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
    assertThat(p.spec().uid()).isEqualTo(trainUid).isNotEmpty();
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

    var request = api.requests().get(api.requests().size() - 1);
    assertThat(request.method()).isEqualTo("PATCH");
    assertThat(request.contentType()).startsWith("application/merge-patch+json");
    var annotations = api.get("v1/pods", "ml", "train").orElseThrow().at("/metadata/annotations");
    assertThat(annotations.get(Annotations.DEVICES_TO_ALLOCATE).asText()).isEqualTo(";");
    assertThat(annotations.has(Annotations.BIND_PHASE)).isFalse();
  }

  @Test
  void nodeAnnotationsArePatched() {
    putNode(Map.of());
    access.patchNodeAnnotations(NODE, Map.of(Annotations.NODE_REGISTER, "[]"));
    assertThat(
            api.get("v1/nodes", "", NODE)
                .orElseThrow()
                .at("/metadata/annotations/" + escape(Annotations.NODE_REGISTER))
                .asText())
        .isEqualTo("[]");
  }

  @Test
  void theLockIsReleasedOnlyForItsHolderWithTheReadResourceVersion() {
    putNode(Map.of(Annotations.NODE_LOCK, "2026-11-23T11:00:00Z,ml,other"));
    assertThat(access.nodeLock(NODE)).contains("2026-11-23T11:00:00Z,ml,other");

    access.releaseNodeLock(NODE, TRAIN);
    assertThat(access.nodeLock(NODE)).isPresent();
    assertThat(api.requests()).noneMatch(r -> r.method().equals("PATCH"));

    api.mergePatch(
        "v1/nodes",
        "",
        NODE,
        "{\"metadata\":{\"annotations\":{\""
            + Annotations.NODE_LOCK
            + "\":\"2026-11-23T11:00:00Z,ml,train\"}}}");
    access.releaseNodeLock(NODE, TRAIN);
    assertThat(access.nodeLock(NODE)).isEmpty();
    assertThat(api.requests())
        .filteredOn(r -> r.method().equals("PATCH"))
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("\"resourceVersion\""));
  }

  @Test
  void aConcurrentNodeWriteIsRetried() {
    putNode(Map.of(Annotations.NODE_LOCK, "2026-11-23T11:00:00Z,ml,train"));
    // As if another writer changed the node between the plugin's read and its patch.
    api.failNext(
        "PATCH",
        "/api/v1/nodes/" + NODE,
        409,
        "Operation cannot be fulfilled on nodes \"gpu-1\": the object has been modified");

    access.releaseNodeLock(NODE, TRAIN);

    assertThat(access.nodeLock(NODE)).isEmpty();
    assertThat(api.requests()).filteredOn(r -> r.method().equals("PATCH")).hasSize(2);
  }

  @Test
  void serverErrorsNameTheCallAndTheAnswer() {
    api.failNext("GET", "/api/v1/pods", 500, "etcd is unavailable");
    assertThatThrownBy(() -> access.podsOnNode(NODE))
        .isInstanceOfSatisfying(
            KubernetesAccessException.class, e -> assertThat(e.code()).isEqualTo(500))
        .hasMessageContaining("listing the pods of node gpu-1")
        .hasMessageContaining("etcd is unavailable");
  }

  private void putNode(Map<String, String> annotations) {
    var node = JSON.createObjectNode();
    node.putObject("metadata").put("name", NODE).set("annotations", JSON.valueToTree(annotations));
    api.create("v1/nodes", node.toString());
  }

  private static String escape(String jsonPointerSegment) {
    return jsonPointerSegment.replace("~", "~0").replace("/", "~1");
  }
}
