package dev.tessera.extender.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Binding;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeApiServerTest {
  private FakeApiServer server;
  private ApiClient client;
  private CoreV1Api api;

  @BeforeEach
  void start() {
    server = FakeApiServer.start();
    client = server.client();
    api = new CoreV1Api(client);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static V1Pod pod(String ns, String name) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().name(name).namespace(ns))
        .spec(
            new io.kubernetes.client.openapi.models.V1PodSpec()
                .addContainersItem(
                    new io.kubernetes.client.openapi.models.V1Container().name("c").image("i")));
  }

  @Test
  void createListGetDeleteWithResourceVersions() throws ApiException {
    V1Node created =
        api.createNode(new V1Node().metadata(new V1ObjectMeta().name("n1").putLabelsItem("a", "b")))
            .execute();
    api.createNode(new V1Node().metadata(new V1ObjectMeta().name("n2"))).execute();
    assertThat(created.getMetadata().getUid()).isNotBlank();

    V1NodeList list = api.listNode().execute();
    assertThat(list.getItems())
        .extracting(n -> n.getMetadata().getName())
        .containsExactly("n1", "n2");
    assertThat(Long.parseLong(list.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));
    assertThat(api.listNode().labelSelector("a=b").execute().getItems()).hasSize(1);

    api.deleteNode("n1").execute();
    assertThatThrownBy(() -> api.readNode("n1").execute())
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(404));
    assertThatThrownBy(
            () -> api.createNode(new V1Node().metadata(new V1ObjectMeta().name("n2"))).execute())
        .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(409));
  }

  @Test
  void mergeAndStrategicPatchesChangeAnnotationsAndHonourResourceVersion() throws ApiException {
    api.createNamespacedPod("ns", pod("ns", "p")).execute();
    V1Pod patched =
        PatchUtils.patch(
            V1Pod.class,
            () ->
                api.patchNamespacedPod(
                        "p",
                        "ns",
                        new V1Patch("{\"metadata\":{\"annotations\":{\"x\":\"1\",\"y\":\"2\"}}}"))
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
            client);
    assertThat(patched.getMetadata().getAnnotations())
        .containsEntry("x", "1")
        .containsEntry("y", "2");

    V1Pod strategic =
        PatchUtils.patch(
            V1Pod.class,
            () ->
                api.patchNamespacedPod(
                        "p",
                        "ns",
                        new V1Patch(
                            "{\"metadata\":{\"annotations\":{\"x\":null},\"labels\":{\"l\":\"v\"}}}"))
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH,
            client);
    assertThat(strategic.getMetadata().getAnnotations()).containsOnlyKeys("y");
    assertThat(strategic.getMetadata().getLabels()).containsEntry("l", "v");

    String stale = patched.getMetadata().getResourceVersion();
    assertThatThrownBy(
            () ->
                PatchUtils.patch(
                    V1Pod.class,
                    () ->
                        api.patchNamespacedPod(
                                "p",
                                "ns",
                                new V1Patch(
                                    "{\"metadata\":{\"resourceVersion\":\""
                                        + stale
                                        + "\",\"annotations\":{\"z\":\"1\"}}}"))
                            .buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                    client))
        .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(409));
  }

  @Test
  void bindingSetsNodeNameOnceOnly() throws Exception {
    V1Pod p = api.createNamespacedPod("ns", pod("ns", "p")).execute();
    V1Binding binding =
        new V1Binding()
            .metadata(new V1ObjectMeta().name("p").uid(p.getMetadata().getUid()))
            .target(new V1ObjectReference().kind("Node").name("n1"));
    // Like a real API server the answer is a Status, which client-java's typed V1Binding decoder
    // refuses; callers use the raw call and read the code.
    try (okhttp3.Response r =
        api.createNamespacedPodBinding("p", "ns", binding).buildCall(null).execute()) {
      assertThat(r.code()).isEqualTo(201);
      assertThat(r.body().string()).contains("\"status\":\"Success\"");
    }
    assertThat(api.readNamespacedPod("p", "ns").execute().getSpec().getNodeName()).isEqualTo("n1");
    try (okhttp3.Response r =
        api.createNamespacedPodBinding("p", "ns", binding).buildCall(null).execute()) {
      assertThat(r.code()).isEqualTo(409);
      assertThat(r.body().string()).contains("already assigned to node \\\"n1\\\"");
    }
  }

  @Test
  void watchStreamsChangesAfterTheGivenResourceVersion() throws Exception {
    api.createNamespacedPod("ns", pod("ns", "before")).execute();
    String rv = api.listPodForAllNamespaces().execute().getMetadata().getResourceVersion();
    api.createNamespacedPod("ns", pod("ns", "a")).execute();
    api.deleteNamespacedPod("a", "ns").execute();
    api.createNamespacedPod("other", pod("other", "b")).execute();

    List<String> seen = new ArrayList<>();
    try (Watch<V1Pod> w =
        Watch.createWatch(
            client,
            api.listNamespacedPod("ns")
                .watch(true)
                .resourceVersion(rv)
                .timeoutSeconds(1)
                .buildCall(null),
            new TypeToken<Watch.Response<V1Pod>>() {}.getType())) {
      for (Watch.Response<V1Pod> e : w) {
        seen.add(e.type + " " + e.object.getMetadata().getName());
      }
    }
    assertThat(seen).containsExactly("ADDED a", "DELETED a");
  }

  @Test
  void watchFromCompactedVersionIsGone() throws Exception {
    api.createNamespacedPod("ns", pod("ns", "a")).execute();
    server.compact();
    api.createNamespacedPod("ns", pod("ns", "b")).execute();
    try (Watch<V1Pod> w =
        Watch.createWatch(
            client,
            api.listNamespacedPod("ns")
                .watch(true)
                .resourceVersion("1")
                .timeoutSeconds(1)
                .buildCall(null),
            new TypeToken<Watch.Response<V1Pod>>() {}.getType())) {
      Watch.Response<V1Pod> first = w.next();
      assertThat(first.type).isEqualTo("ERROR");
      assertThat(first.status.getCode()).isEqualTo(410);
    }
  }

  @Test
  void realInformersSeeAddsUpdatesAndDeletes() throws Exception {
    api.createNamespacedPod("ns", pod("ns", "p0")).execute();
    SharedInformerFactory factory = new SharedInformerFactory(client);
    SharedIndexInformer<V1Pod> informer =
        factory.sharedIndexInformerFor(
            new GenericKubernetesApi<>(V1Pod.class, V1PodList.class, "", "v1", "pods", client),
            V1Pod.class,
            0);
    List<String> events = new CopyOnWriteArrayList<>();
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(V1Pod obj) {
            events.add("add " + obj.getMetadata().getName());
          }

          @Override
          public void onUpdate(V1Pod oldObj, V1Pod newObj) {
            events.add(
                "update "
                    + newObj.getMetadata().getName()
                    + " "
                    + newObj.getMetadata().getAnnotations());
          }

          @Override
          public void onDelete(V1Pod obj, boolean deletedFinalStateUnknown) {
            events.add("delete " + obj.getMetadata().getName());
          }
        });
    factory.startAllRegisteredInformers();
    try {
      await(informer::hasSynced);
      api.createNamespacedPod("ns", pod("ns", "p1")).execute();
      server.mergePatch("v1/pods", "ns", "p1", "{\"metadata\":{\"annotations\":{\"k\":\"v\"}}}");
      api.deleteNamespacedPod("p0", "ns").execute();
      await(() -> events.size() >= 4);
      assertThat(events).containsExactly("add p0", "add p1", "update p1 {k=v}", "delete p0");
      assertThat(informer.getIndexer().list())
          .extracting(p -> p.getMetadata().getName())
          .containsExactly("p1");
      assertThat(server.openWatches()).isEqualTo(1);
    } finally {
      factory.stopAllRegisteredInformers();
    }
  }

  @Test
  void injectedFailuresAreAnsweredOnce() throws ApiException {
    server.failNext("GET", "/api/v1/nodes", 500, "boom");
    assertThatThrownBy(() -> api.listNode().execute())
        .satisfies(e -> assertThat(((ApiException) e).getResponseBody()).contains("boom"));
    assertThat(api.listNode().execute().getItems()).isEmpty();
    assertThat(server.requests()).extracting(FakeApiServer.Request::method).containsOnly("GET");
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aDroppedResponseAppliesTheWriteButTheClientSeesAnIoError() throws Exception {
    api.createNamespacedPod("ns", pod("ns", "p")).execute();
    // A plain OkHttp client that never retries, to see the lost answer itself.
    var raw = client.getHttpClient().newBuilder().retryOnConnectionFailure(false).build();
    server.dropResponseNext("PATCH", ".*/pods/p");
    var request =
        new okhttp3.Request.Builder()
            .url(server.url() + "/api/v1/namespaces/ns/pods/p")
            .patch(
                okhttp3.RequestBody.create(
                    "{\"metadata\":{\"labels\":{\"k\":\"v\"}}}",
                    okhttp3.MediaType.get("application/merge-patch+json")))
            .build();
    assertThatThrownBy(() -> raw.newCall(request).execute().close())
        .isInstanceOf(java.io.IOException.class);
    assertThat(server.get("v1/pods", "ns", "p").orElseThrow().path("metadata").path("labels"))
        .hasToString("{\"k\":\"v\"}");
    // Only the next matching request is dropped.
    assertThat(api.readNamespacedPod("p", "ns").execute().getMetadata().getLabels())
        .containsEntry("k", "v");
  }

  @Test
  void aHungRequestTimesOutOnTheClientAndIsServedAfterResume() throws Exception {
    api.createNamespacedPod("ns", pod("ns", "p")).execute();
    var impatient = new CoreV1Api(server.client(java.time.Duration.ofMillis(200)));
    server.hang("DELETE", ".*/pods/p");
    assertThatThrownBy(() -> impatient.deleteNamespacedPod("p", "ns").execute())
        .isInstanceOf(ApiException.class)
        .hasCauseInstanceOf(java.io.InterruptedIOException.class);
    // Other requests are answered meanwhile, and the held delete changed nothing yet.
    assertThat(impatient.readNamespacedPod("p", "ns").execute().getMetadata().getName())
        .isEqualTo("p");

    server.resume();
    await(() -> server.get("v1/pods", "ns", "p").isEmpty());
  }
}
