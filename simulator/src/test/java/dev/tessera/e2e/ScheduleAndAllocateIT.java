package dev.tessera.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.deviceplugin.api.v1beta1.ContainerAllocateResponse;
import dev.tessera.deviceplugin.api.v1beta1.Device;
import dev.tessera.deviceplugin.daemon.ClusterAccess;
import dev.tessera.deviceplugin.daemon.DaemonOptions;
import dev.tessera.deviceplugin.daemon.DevicePluginDaemon;
import dev.tessera.deviceplugin.kube.KubernetesClusterAccess;
import dev.tessera.deviceplugin.server.FakeKubelet;
import dev.tessera.deviceplugin.server.UnixSockets;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.http.TransportSettings;
import dev.tessera.extender.kube.LiveCluster;
import dev.tessera.extender.kube.NodeHandshakes;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.extender.wire.WireJson;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole live path on one machine: the device plugin ({@link DevicePluginDaemon}, GPUs from a
 * YAML file, client-java against {@link FakeApiServer}) registers node {@value #NODE} with a fake
 * kubelet and annotates the Node; the extender in live mode (informers, API binder, handshakes)
 * sees it; kube-scheduler's filter, prioritize and bind calls go over HTTP; then the fake kubelet
 * calls Allocate and the container gets HAMi-core's environment for exactly the devices bound.
 */
class ScheduleAndAllocateIT {
  private static final String NODE = "gpu-node-1";
  private static final String GPU_A = "GPU-0b9b5c8e-1111-2222-3333-444455556666";
  private static final String GPU_B = "GPU-7f1d2e3c-aaaa-bbbb-cccc-ddddeeeeffff";
  private static final int GPU_MIB = 15360;

  private final ObjectMapper json = new ObjectMapper();
  private final WireJson wire = new WireJson();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path dir;
  private EventLoopGroup group;
  private FakeApiServer api;
  private FakeKubelet kubelet;
  private DevicePluginDaemon plugin;
  private LiveCluster live;
  private ExtenderServer extender;

  @BeforeEach
  void startClusterPluginAndExtender() throws Exception {
    // Unix socket paths must stay short, so not JUnit's @TempDir.
    dir = Files.createTempDirectory(Path.of("/tmp"), "e2e");
    Files.writeString(
        dir.resolve("gpus.yaml"),
        """
        gpus:
          - {uuid: %s, index: 0, type: Tesla T4, memoryMiB: %d}
          - {uuid: %s, index: 1, type: Tesla T4, memoryMiB: %d}
        """
            .formatted(GPU_A, GPU_MIB, GPU_B, GPU_MIB));
    api = FakeApiServer.start();
    // What kubelet reports once the plugin is registered: 2 GPUs x deviceSplitCount 10.
    api.create(
        "v1/nodes",
        "{\"metadata\":{\"name\":\""
            + NODE
            + "\"},\"status\":{\"capacity\":{\"nvidia.com/gpu\":\"20\"},"
            + "\"allocatable\":{\"nvidia.com/gpu\":\"20\"}}}");

    group = UnixSockets.newEventLoopGroup(1);
    kubelet = new FakeKubelet(dir.resolve("kubelet.sock"), group).start();
    var k8s = new KubernetesClusterAccess(api.client());
    plugin =
        DevicePluginDaemon.start(
            new DaemonOptions(
                NODE,
                DevicePluginDaemon.FILE_PREFIX + dir.resolve("gpus.yaml"),
                Optional.empty(),
                dir.resolve("no-node-config.json"),
                dir,
                "nvidia.com/gpu",
                dir.resolve("hook").toString(),
                Optional.empty(),
                false,
                false),
            new ClusterAccess(k8s, k8s, k8s));
    assertThat(kubelet.awaitRegistration().getResourceName()).isEqualTo("nvidia.com/gpu");

    Clock clock = Clock.systemDefaultZone();
    live =
        LiveCluster.connect(
            new LiveCluster.Clients(api.client(), api.client(Duration.ofSeconds(10))),
            new LiveCluster.Settings(Optional.empty(), "nvidia.com/gpu", Optional.empty()),
            clock);
    extender =
        ExtenderServer.start(
            live.state(),
            live.binder(),
            new EngineRanking(Engine.Options.DEFAULTS),
            new ExtenderServer.Settings(
                ExtenderServer.Transport.JDK,
                TransportSettings.plain("127.0.0.1", 0, 4),
                "",
                DeviceConfig.chartDefaults(),
                Engine.Options.DEFAULTS,
                Duration.ofSeconds(30),
                Duration.ofMillis(200)),
            clock);
    live.awaitReady(Duration.ofSeconds(30));
    // The plugin's register annotation travels API server -> informer -> snapshot.
    await(
        "the extender sees the GPUs the plugin registered on " + NODE,
        () -> live.state().snapshot().node(NODE).map(n -> n.usage().size() == 2).orElse(false));
  }

  @AfterEach
  void stopEverything() throws IOException {
    if (extender != null) {
      extender.stop(Duration.ofSeconds(1));
    }
    if (live != null) {
      live.close();
    }
    if (plugin != null) {
      plugin.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (api != null) {
      api.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void aPodScheduledByTheExtenderGetsHamiCoreLimitsForItsBoundGpu() throws Exception {
    JsonNode node = api.get("v1/nodes", "", NODE).orElseThrow();
    JsonNode nodeAnnotations = node.path("metadata").path("annotations");
    assertThat(NodeRegisterCodec.decode(nodeAnnotations.path(Annotations.NODE_REGISTER).asText()))
        .extracting(d -> d.uuid(), d -> d.splitCount(), d -> d.memoryMiB(), d -> d.type())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(GPU_A, 10, GPU_MIB, "NVIDIA-Tesla T4"),
            org.assertj.core.groups.Tuple.tuple(GPU_B, 10, GPU_MIB, "NVIDIA-Tesla T4"));
    // HAMi v2.10's handshake is the scheduler's (hami-compat §3.3). LiveCluster runs these rounds
    // every 15 s and, as HAMi, stamps a newly seen node on its second round; two rounds here
    // instead of a 30 s wait.
    var handshakes =
        new NodeHandshakes(
            live.client(), live.state(), () -> true, "nvidia.com/gpu", Clock.systemDefaultZone());
    handshakes.round();
    handshakes.round();
    handshakes.close();
    assertThat(
            api.get("v1/nodes", "", NODE)
                .orElseThrow()
                .path("metadata")
                .path("annotations")
                .path(Annotations.NODE_HANDSHAKE)
                .asText())
        .startsWith("Requesting_");

    JsonNode pod = createPod("train", 1, 3000, 30);
    String gpu = schedule(pod);
    assertThat(gpu).isIn(GPU_A, GPU_B);

    // Kubelet hands the plugin IDs of its own choosing; Allocate must follow the annotations,
    // so take IDs of the GPU the extender did NOT pick.
    String other = gpu.equals(GPU_A) ? GPU_B : GPU_A;
    List<String> advertised = kubelet.advertised().stream().map(Device::getID).toList();
    assertThat(advertised).hasSize(20).contains(other + "-0", gpu + "-9");
    ContainerAllocateResponse response =
        kubelet.allocate(List.of(List.of(other + "-0"))).getContainerResponses(0);

    String uid = pod.path("metadata").path("uid").asText();
    String hook = dir.resolve("hook").toString();
    assertThat(response.getEnvsMap())
        .containsEntry("NVIDIA_VISIBLE_DEVICES", gpu)
        .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m")
        .containsEntry("CUDA_DEVICE_SM_LIMIT", "30")
        .doesNotContainKey("CUDA_DEVICE_MEMORY_LIMIT_1")
        // deviceMemoryScaling 1 and core limits on (chart defaults): no oversubscription, and
        // HAMi-core enforces the SM limit.
        .doesNotContainKeys("CUDA_OVERSUBSCRIBE", "GPU_CORE_UTILIZATION_POLICY");
    assertThat(response.getEnvsMap().get("CUDA_DEVICE_MEMORY_SHARED_CACHE"))
        .startsWith(dir.resolve("hook") + "/vgpu/")
        .endsWith(".cache");
    assertThat(response.getMountsList())
        .anySatisfy(
            m -> {
              assertThat(m.getHostPath()).isEqualTo(hook + "/vgpu/containers/" + uid + "_main");
              assertThat(m.getContainerPath()).isEqualTo(hook + "/vgpu");
            })
        .anySatisfy(m -> assertThat(m.getContainerPath()).isEqualTo("/etc/ld.so.preload"));
    assertThat(dir.resolve("hook/vgpu/containers/" + uid + "_main")).isDirectory();

    JsonNode annotations = storedPod("train").path("metadata").path("annotations");
    assertThat(annotations.path(Annotations.BIND_PHASE).asText()).isEqualTo("success");
    assertThat(annotations.path(Annotations.DEVICES_TO_ALLOCATE).asText()).doesNotContain("NVIDIA");
    assertThat(annotations.path(Annotations.DEVICES_ALLOCATED).asText())
        .isEqualTo(gpu + ",NVIDIA,3000,30:;");
    // The informer carries the success back: the extender counts the pod on that GPU.
    await(
        "the extender books pod ml/train on " + NODE,
        () -> live.state().snapshot().nodeOf("ml/train").filter(NODE::equals).isPresent());
  }

  /**
   * Two pods land on the node and kubelet allocates both at once. The plugin tells the calls apart
   * by what kubelet asks for (1 device vs 2), so each container gets its own pod's GPUs and limits.
   */
  @Test
  void twoPodsOnOneNodeAllocatedConcurrentlyEachGetTheirOwnDevices() throws Exception {
    JsonNode single = createPod("single", 1, 3000, 30);
    JsonNode pair = createPod("pair", 2, 5000, 50);
    String singleGpu = schedule(single);
    schedule(pair);
    List<ContainerDevice> pairDevices =
        PodDevicesCodec.decode(
                Annotations.DEVICES_ALLOCATED,
                storedPod("pair")
                    .path("metadata")
                    .path("annotations")
                    .path(Annotations.DEVICES_ALLOCATED)
                    .asText())
            .get(0);
    assertThat(pairDevices)
        .extracting(ContainerDevice::uuid)
        .containsExactlyInAnyOrder(GPU_A, GPU_B);
    String pairVisible = pairDevices.get(0).uuid() + "," + pairDevices.get(1).uuid();

    ExecutorService kubeletWorkers = Executors.newFixedThreadPool(2);
    try {
      Callable<ContainerAllocateResponse> allocSingle =
          () -> kubelet.allocate(List.of(List.of(GPU_A + "-1"))).getContainerResponses(0);
      Callable<ContainerAllocateResponse> allocPair =
          () ->
              kubelet
                  .allocate(List.of(List.of(GPU_A + "-2", GPU_B + "-2")))
                  .getContainerResponses(0);
      Future<ContainerAllocateResponse> s = kubeletWorkers.submit(allocSingle);
      Future<ContainerAllocateResponse> p = kubeletWorkers.submit(allocPair);
      Map<String, String> singleEnv = s.get(20, TimeUnit.SECONDS).getEnvsMap();
      Map<String, String> pairEnv = p.get(20, TimeUnit.SECONDS).getEnvsMap();

      assertThat(singleEnv)
          .containsEntry("NVIDIA_VISIBLE_DEVICES", singleGpu)
          .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m")
          .containsEntry("CUDA_DEVICE_SM_LIMIT", "30")
          .doesNotContainKey("CUDA_DEVICE_MEMORY_LIMIT_1");
      assertThat(pairEnv)
          .containsEntry("NVIDIA_VISIBLE_DEVICES", pairVisible)
          .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "5000m")
          .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_1", "5000m")
          .containsEntry("CUDA_DEVICE_SM_LIMIT", "50");
      assertThat(singleEnv.get("CUDA_DEVICE_MEMORY_SHARED_CACHE"))
          .isNotEqualTo(pairEnv.get("CUDA_DEVICE_MEMORY_SHARED_CACHE"));
    } finally {
      kubeletWorkers.shutdownNow();
    }
    for (String name : List.of("single", "pair")) {
      assertThat(
              storedPod(name)
                  .path("metadata")
                  .path("annotations")
                  .path(Annotations.BIND_PHASE)
                  .asText())
          .isEqualTo("success");
    }
  }

  /**
   * Two pods of the same shape bound to one node: kubelet's Allocate carries no pod identity, so
   * the plugin could not tell them apart if both waited at once. The extender's bind gate holds the
   * second bind until the informer shows the first served (no node lock, no timeout): the fake
   * kubelet allocates each pod right after its bind, and each gets its own devices and limits.
   */
  @Test
  void twoSameShapedPodsAreBoundOneAfterTheOtherAndEachGetsItsOwnDevices() throws Exception {
    String leftGpu = schedule(createPod("left", 1, 3000, 30));
    JsonNode rightPod = createPod("right", 1, 4000, 40);
    ExecutorService kubeScheduler = Executors.newSingleThreadExecutor();
    try {
      Future<String> right = kubeScheduler.submit(() -> schedule(rightPod));
      // Until left is served, right's bind waits in the gate without writing anything.
      assertThat(annotation("right", Annotations.BIND_PHASE)).isEmpty();

      Map<String, String> leftEnv =
          kubelet.allocate(List.of(List.of(GPU_A + "-0"))).getContainerResponses(0).getEnvsMap();
      assertThat(leftEnv)
          .containsEntry("NVIDIA_VISIBLE_DEVICES", leftGpu)
          .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m")
          .containsEntry("CUDA_DEVICE_SM_LIMIT", "30");
      assertThat(annotation("left", Annotations.BIND_PHASE)).isEqualTo("success");

      // The plugin's success reaches the extender's informer and releases right's bind.
      String rightGpu = right.get(30, TimeUnit.SECONDS);
      Map<String, String> rightEnv =
          kubelet.allocate(List.of(List.of(GPU_B + "-0"))).getContainerResponses(0).getEnvsMap();
      assertThat(rightEnv)
          .containsEntry("NVIDIA_VISIBLE_DEVICES", rightGpu)
          .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "4000m")
          .containsEntry("CUDA_DEVICE_SM_LIMIT", "40");
      assertThat(rightEnv.get("CUDA_DEVICE_MEMORY_SHARED_CACHE"))
          .isNotEqualTo(leftEnv.get("CUDA_DEVICE_MEMORY_SHARED_CACHE"));
    } finally {
      kubeScheduler.shutdownNow();
    }
    for (String name : List.of("left", "right")) {
      assertThat(annotation(name, Annotations.BIND_PHASE)).isEqualTo("success");
    }
  }

  /**
   * A pod no GPU of the node could ever hold is unresolvable; one that does not fit beside the pods
   * already there is a plain failure (preemption could help). Both reasons give the numbers.
   */
  @Test
  void filterRejectsPodsThatCannotFitAndSaysWhyInNumbers() throws Exception {
    ExtenderFilterResult huge = filter(createPod("huge", 1, 20000, 30));
    assertThat(huge.nodeNames()).isNullOrEmpty();
    assertThat(huge.failedNodes()).isNullOrEmpty();
    assertThat(huge.failedAndUnresolvableNodes()).containsOnlyKeys(NODE);
    assertThat(huge.failedAndUnresolvableNodes().get(NODE))
        .contains("20000")
        .contains(Integer.toString(GPU_MIB));

    // Kubelet allocates each pod after its bind, as it does once the pod reaches the node; the
    // bind gate holds a second same-shaped bind until then.
    schedule(createPod("big-1", 1, 10000, 30));
    kubelet.allocate(List.of(List.of(GPU_A + "-0")));
    schedule(createPod("big-2", 1, 10000, 30));
    kubelet.allocate(List.of(List.of(GPU_A + "-1")));
    ExtenderFilterResult third = filter(createPod("big-3", 1, 10000, 30));
    assertThat(third.nodeNames()).isNullOrEmpty();
    assertThat(third.failedAndUnresolvableNodes()).isNullOrEmpty();
    assertThat(third.failedNodes()).containsOnlyKeys(NODE);
    assertThat(third.failedNodes().get(NODE))
        .contains("10000")
        .contains(Integer.toString(GPU_MIB - 10000));
    assertThat(storedPod("big-3").path("spec").path("nodeName").asText()).isEmpty();
  }

  // ---- kube-scheduler's side ----

  /** Filter, prioritize and bind as kube-scheduler does; returns the first GPU the pod got. */
  private String schedule(JsonNode pod) throws Exception {
    String name = pod.path("metadata").path("name").asText();
    ExtenderFilterResult filtered =
        wire.read(
            post("filter", new ExtenderArgs(pod, null, List.of(NODE))), ExtenderFilterResult.class);
    assertThat(filtered.nodeNames()).as("filter of " + name).containsExactly(NODE);
    List<HostPriority> scores =
        wire.readPriorities(post("prioritize", new ExtenderArgs(pod, null, List.of(NODE))));
    assertThat(scores).singleElement().satisfies(h -> assertThat(h.host()).isEqualTo(NODE));
    ExtenderBindingResult bound =
        wire.read(
            post(
                "bind",
                new ExtenderBindingArgs(
                    name, "ml", pod.path("metadata").path("uid").asText(), NODE)),
            ExtenderBindingResult.class);
    assertThat(bound.error()).as("bind of " + name).isEmpty();

    JsonNode stored = storedPod(name);
    assertThat(stored.path("spec").path("nodeName").asText()).isEqualTo(NODE);
    JsonNode annotations = stored.path("metadata").path("annotations");
    assertThat(annotations.path(Annotations.BIND_PHASE).asText()).isEqualTo("allocating");
    assertThat(annotations.path(Annotations.VGPU_NODE).asText()).isEqualTo(NODE);
    return PodDevicesCodec.decode(
            Annotations.DEVICES_TO_ALLOCATE,
            annotations.path(Annotations.DEVICES_TO_ALLOCATE).asText())
        .get(0)
        .get(0)
        .uuid();
  }

  private ExtenderFilterResult filter(JsonNode pod) throws Exception {
    byte[] body = post("filter", new ExtenderArgs(pod, null, List.of(NODE)));
    return wire.read(body, ExtenderFilterResult.class);
  }

  private JsonNode createPod(String name, int gpus, int memMiB, int cores) throws Exception {
    // status.phase is set here because the real API server defaults it on create and the fake
    // does not; the plugin only serves Pending pods.
    var limits =
        Map.of(
            "nvidia.com/gpu",
            Integer.toString(gpus),
            "nvidia.com/gpumem",
            Integer.toString(memMiB),
            "nvidia.com/gpucores",
            Integer.toString(cores));
    var pod =
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Pod",
            "metadata",
            Map.of("name", name, "namespace", "ml"),
            "spec",
            Map.of(
                "schedulerName",
                "hami-scheduler",
                "containers",
                List.of(Map.of("name", "main", "resources", Map.of("limits", limits)))),
            "status",
            Map.of("phase", "Pending"));
    return api.create("v1/pods", json.writeValueAsString(pod));
  }

  private String annotation(String pod, String key) {
    return storedPod(pod).path("metadata").path("annotations").path(key).asText();
  }

  private JsonNode storedPod(String name) {
    return api.get("v1/pods", "ml", name).orElseThrow();
  }

  private byte[] post(String verb, Object body) throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + extender.port() + "/" + verb))
                .POST(HttpRequest.BodyPublishers.ofByteArray(wire.write(body)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(verb).isEqualTo(200);
    return response.body();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
