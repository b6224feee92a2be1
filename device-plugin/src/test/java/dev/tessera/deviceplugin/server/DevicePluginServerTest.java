package dev.tessera.deviceplugin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tessera.deviceplugin.allocate.AllocationPlanner;
import dev.tessera.deviceplugin.allocate.AllocatorConfig;
import dev.tessera.deviceplugin.allocate.ContainerSpec;
import dev.tessera.deviceplugin.allocate.HostFiles;
import dev.tessera.deviceplugin.allocate.MigInstance;
import dev.tessera.deviceplugin.allocate.PodSpec;
import dev.tessera.deviceplugin.api.v1beta1.AllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.ContainerAllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.ContainerAllocateResponse;
import dev.tessera.deviceplugin.api.v1beta1.ContainerPreferredAllocationRequest;
import dev.tessera.deviceplugin.api.v1beta1.Device;
import dev.tessera.deviceplugin.api.v1beta1.DevicePluginGrpc;
import dev.tessera.deviceplugin.api.v1beta1.DeviceSpec;
import dev.tessera.deviceplugin.api.v1beta1.Empty;
import dev.tessera.deviceplugin.api.v1beta1.ListAndWatchResponse;
import dev.tessera.deviceplugin.api.v1beta1.Mount;
import dev.tessera.deviceplugin.api.v1beta1.PreStartContainerRequest;
import dev.tessera.deviceplugin.api.v1beta1.PreferredAllocationRequest;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.MigAllocationsCodec;
import dev.tessera.engine.codec.MigReservation;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.codec.PodRef;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.MigPlacement;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end over real Unix sockets: a fake kubelet (Registration server and DevicePlugin client)
 * against {@link DevicePluginServer}, with pods in an in-memory API server.
 */
class DevicePluginServerTest {
  private static final String NODE = "node-a";
  private static final String GPU_X = "GPU-0b9b5c8e-1111-2222-3333-444455556666";
  private static final String GPU_Y = "GPU-7f1d2e3c-aaaa-bbbb-cccc-ddddeeeeffff";
  private static final String T4 = "NVIDIA-Tesla T4";
  private static final UUID CACHE = UUID.fromString("00000000-0000-4000-8000-000000000001");

  private Path dir;
  private Path gpuFile;
  private EventLoopGroup group;
  private FakeKubelet kubelet;
  private FakeKubernetes k8s;
  private DevicePluginServer server;
  private ManagedChannel channel;
  private DevicePluginGrpc.DevicePluginBlockingStub plugin;
  private final List<String> createdDirs = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws IOException {
    // Unix socket paths must stay under ~100 characters, so not JUnit's long @TempDir.
    dir = Files.createTempDirectory(Path.of("/tmp"), "dp");
    gpuFile = dir.resolve("gpus.yaml");
    writeGpus(true, true);
    group = UnixSockets.newEventLoopGroup(1);
    kubelet = new FakeKubelet(dir.resolve("kubelet.sock"), group).start();
    k8s = new FakeKubernetes();
    startServer(AllocatorConfig.defaults("/usr/local"));
  }

  private void startServer(AllocatorConfig allocator) throws IOException {
    var config =
        PluginConfig.defaults(NODE, allocator)
            .withPluginDir(dir)
            .withDeviceSplitCount(4)
            .withPassDeviceSpecs(true)
            .withIntervals(Duration.ofMillis(50), Duration.ofMillis(100));
    server =
        new DevicePluginServer(
            config,
            new FileDeviceSource(gpuFile),
            k8s,
            k8s,
            new AllocationPlanner(
                config.allocator(),
                HostFiles.empty(),
                () -> CACHE,
                (gpu, profile, placement) ->
                    new MigInstance("MIG-" + gpu.substring(4, 12), placement.start(), 0)),
            createdDirs::add);
    server.start();
    connect();
  }

  private void connect() {
    channel = UnixSockets.channel(server.socketPath(), group);
    plugin = DevicePluginGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws IOException {
    channel.shutdownNow();
    server.close();
    kubelet.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void registersNvidiaGpuWithKubelet() throws Exception {
    var r = kubelet.awaitRegistration();
    assertThat(r.getVersion()).isEqualTo("v1beta1");
    assertThat(r.getEndpoint()).isEqualTo("nvidia-gpu.sock");
    assertThat(r.getResourceName()).isEqualTo("nvidia.com/gpu");
    assertThat(r.getOptions().getGetPreferredAllocationAvailable()).isFalse();
    assertThat(server.socketPath()).exists();
  }

  @Test
  void listAndWatchAdvertisesSplitDevicesAndStreamsHealthChanges() throws Exception {
    var updates = watch();
    var first = updates.poll(10, TimeUnit.SECONDS);
    assertThat(ids(first))
        .containsExactly(
            GPU_X + "-0",
            GPU_X + "-1",
            GPU_X + "-2",
            GPU_X + "-3",
            GPU_Y + "-0",
            GPU_Y + "-1",
            GPU_Y + "-2",
            GPU_Y + "-3");
    assertThat(first.getDevicesList()).allMatch(d -> d.getHealth().equals("Healthy"));

    writeGpus(true, false);
    var second = updates.poll(10, TimeUnit.SECONDS);
    assertThat(second).as("an update after GPU-y turned unhealthy").isNotNull();
    for (Device d : second.getDevicesList()) {
      assertThat(d.getHealth())
          .as(d.getID())
          .isEqualTo(d.getID().startsWith(GPU_Y) ? "Unhealthy" : "Healthy");
    }

    // Unhealthy is permanent until the plugin restarts (hami-compat §8.2): no update follows.
    writeGpus(true, true);
    assertThat(updates.poll(500, TimeUnit.MILLISECONDS)).isNull();
    // The register annotation sees the same health.
    assertThat(server.gpus())
        .extracting(GpuInfo::uuid, GpuInfo::healthy)
        .containsExactly(tuple(GPU_X, true), tuple(GPU_Y, false));
  }

  @Test
  void allocateGivesTheAnnotatedDeviceAndHamiCoreLimits() throws Exception {
    var pod = boundPod("p1", "uid-1", List.of(ContainerDevice.of(GPU_X, T4, 3000, 50)));
    k8s.lock(NODE, "2026-11-23T11:00:00Z,default,p1");

    var response = allocate(List.of(GPU_Y + "-3")); // without preferred allocation IDs are ignored
    var c = response.get(0);

    assertThat(c.getEnvsMap())
        .containsEntry("NVIDIA_VISIBLE_DEVICES", GPU_X)
        .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m")
        .containsEntry("CUDA_DEVICE_SM_LIMIT", "50")
        .containsEntry("CUDA_DEVICE_MEMORY_SHARED_CACHE", "/usr/local/vgpu/" + CACHE + ".cache");
    assertThat(c.getMountsList())
        .extracting(Mount::getContainerPath, Mount::getHostPath, Mount::getReadOnly)
        .contains(
            tuple("/usr/local/vgpu/libvgpu.so", "/usr/local/vgpu/libvgpu.so", true),
            tuple("/usr/local/vgpu", "/usr/local/vgpu/containers/uid-1_main", false),
            tuple("/etc/ld.so.preload", "/usr/local/vgpu/ld.so.preload", true));
    assertThat(c.getDevicesList())
        .extracting(DeviceSpec::getHostPath)
        .containsExactly(
            "/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia0");
    assertThat(createdDirs).contains("/usr/local/vgpu/containers/uid-1_main", "/tmp/vgpulock");

    assertThat(k8s.annotations(pod).get(Annotations.DEVICES_TO_ALLOCATE)).doesNotContain("NVIDIA");
    assertThat(k8s.bindPhase(pod)).isEqualTo("success");
    assertThat(k8s.nodeLock(NODE)).isEmpty();
  }

  @Test
  void twoPodsAllocatedOneAfterAnotherEachGetTheirOwnDevices() throws Exception {
    var p1 = boundPod("p1", "uid-1", List.of(ContainerDevice.of(GPU_X, T4, 3000, 50)));
    var p2 = boundPod("p2", "uid-2", List.of(ContainerDevice.of(GPU_Y, T4, 2000, 30)));

    k8s.lock(NODE, "2026-11-23T11:00:00Z,default,p2");
    var second = allocate(List.of(GPU_X + "-0")).get(0);
    // p1 is now the only pod still waiting: found without a lock.
    var first = allocate(List.of(GPU_X + "-1")).get(0);

    assertThat(second.getEnvsMap())
        .containsEntry("NVIDIA_VISIBLE_DEVICES", GPU_Y)
        .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "2000m")
        .containsEntry("CUDA_DEVICE_SM_LIMIT", "30");
    assertThat(first.getEnvsMap())
        .containsEntry("NVIDIA_VISIBLE_DEVICES", GPU_X)
        .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m")
        .containsEntry("CUDA_DEVICE_SM_LIMIT", "50");
    assertThat(k8s.bindPhase(p1)).isEqualTo("success");
    assertThat(k8s.bindPhase(p2)).isEqualTo("success");
  }

  @Test
  void concurrentAllocateCallsForTwoPodsEachGetTheirOwnDevices() throws Exception {
    var one = boundPod("one", "uid-1", List.of(ContainerDevice.of(GPU_X, T4, 3000, 50)));
    var two =
        boundPod(
            "two",
            "uid-2",
            List.of(
                ContainerDevice.of(GPU_X, T4, 1000, 20), ContainerDevice.of(GPU_Y, T4, 1000, 20)));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var forTwo = pool.submit(() -> allocate(List.of(GPU_X + "-0", GPU_Y + "-0")).get(0));
      var forOne = pool.submit(() -> allocate(List.of(GPU_X + "-1")).get(0));

      assertThat(forOne.get(10, TimeUnit.SECONDS).getEnvsMap())
          .containsEntry("NVIDIA_VISIBLE_DEVICES", GPU_X)
          .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m");
      assertThat(forTwo.get(10, TimeUnit.SECONDS).getEnvsMap())
          .containsEntry("NVIDIA_VISIBLE_DEVICES", GPU_X + "," + GPU_Y)
          .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_1", "1000m");
    } finally {
      pool.shutdownNow();
    }
    assertThat(k8s.bindPhase(one)).isEqualTo("success");
    assertThat(k8s.bindPhase(two)).isEqualTo("success");
  }

  @Test
  void withPreferredAllocationKubeletsIdsChooseTheGpu() throws Exception {
    kubelet.awaitRegistration();
    channel.shutdownNow();
    server.close();
    startServer(AllocatorConfig.defaults("/usr/local").withEnableGetPreferredAllocation(true));
    assertThat(kubelet.awaitRegistration().getOptions().getGetPreferredAllocationAvailable())
        .isTrue();
    boundPod("p1", "uid-1", List.of(ContainerDevice.of(GPU_X, T4, 3000, 50)));

    var c = allocate(List.of(GPU_Y + "-2")).get(0);

    assertThat(c.getEnvsMap())
        .containsEntry("NVIDIA_VISIBLE_DEVICES", GPU_Y)
        .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m");
    assertThat(c.getDevicesList()).extracting(DeviceSpec::getHostPath).contains("/dev/nvidia1");
  }

  @Test
  void inMigModeTheContainerGetsItsMigDeviceAndThePodRecordsTheInstance() throws Exception {
    kubelet.awaitRegistration();
    channel.shutdownNow();
    server.close();
    startServer(AllocatorConfig.defaults("/usr/local").withOperatingMode(AllocatorConfig.MODE_MIG));
    var pod = boundPod("m1", "uid-1", List.of(ContainerDevice.of(GPU_X, T4, 4864, 14)));
    var a = new java.util.HashMap<>(k8s.annotations(pod));
    a.put(
        Annotations.MIG_ALLOCATIONS,
        MigAllocationsCodec.encodeReservations(
            List.of(MigReservation.reserved(0, 0, GPU_X, "1g.5gb", new MigPlacement(6, 1)))));
    k8s.patchAnnotations(pod, a);
    k8s.patches.clear();

    var c = allocate(List.of(GPU_X + "-0")).get(0);

    assertThat(c.getEnvsMap()).containsExactly(Map.entry("NVIDIA_VISIBLE_DEVICES", "MIG-0b9b5c8e"));
    assertThat(c.getMountsList()).isEmpty();
    // One merge patch carries both the shortened entry list and the realised instance.
    assertThat(k8s.patches.get(0).annotations())
        .containsOnlyKeys(Annotations.DEVICES_TO_ALLOCATE, Annotations.MIG_ALLOCATIONS);
    assertThat(MigAllocationsCodec.decode(k8s.annotations(pod).get(Annotations.MIG_ALLOCATIONS)))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.migUuid()).isEqualTo("MIG-0b9b5c8e");
              assertThat(r.gpuInstanceId()).hasValue(6);
              assertThat(r.computeInstanceId()).hasValue(0);
            });
    assertThat(k8s.bindPhase(pod)).isEqualTo("success");
  }

  @Test
  void missingPodIsAClearErrorAndNothingIsPatched() {
    assertThatThrownBy(() -> allocate(List.of(GPU_X + "-0")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("no pending pod on node node-a is waiting for GPUs");
    assertThat(k8s.patches).isEmpty();
  }

  @Test
  void ambiguousPodsAreAnErrorAndEachIsMarkedFailed() {
    var p1 = boundPod("p1", "uid-1", List.of(ContainerDevice.of(GPU_X, T4, 3000, 50)));
    var p2 = boundPod("p2", "uid-2", List.of(ContainerDevice.of(GPU_Y, T4, 2000, 30)));

    assertThatThrownBy(() -> allocate(List.of(GPU_X + "-0")))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("cannot tell which pod")
        .hasMessageContaining("default/p1")
        .hasMessageContaining("default/p2")
        .hasMessageContaining("refusing to guess");
    assertThat(k8s.bindPhase(p1)).isEqualTo("failed");
    assertThat(k8s.bindPhase(p2)).isEqualTo("failed");
    assertThat(k8s.lockReleases).containsExactly(p1, p2);
  }

  @Test
  void ambiguityIsResolvedByTheRequestedDeviceCount() throws Exception {
    boundPod("p1", "uid-1", List.of(ContainerDevice.of(GPU_X, T4, 3000, 50)));
    var p2 =
        boundPod(
            "p2",
            "uid-2",
            List.of(
                ContainerDevice.of(GPU_X, T4, 1000, 10), ContainerDevice.of(GPU_Y, T4, 1000, 10)));

    var c = allocate(List.of(GPU_X + "-0", GPU_Y + "-0")).get(0);

    assertThat(c.getEnvsMap()).containsEntry("NVIDIA_VISIBLE_DEVICES", GPU_X + "," + GPU_Y);
    assertThat(k8s.bindPhase(p2)).isEqualTo("success");
  }

  @Test
  void deviceCountMismatchMarksThePodFailed() {
    var pod =
        boundPod(
            "p1",
            "uid-1",
            List.of(
                ContainerDevice.of(GPU_X, T4, 1000, 10), ContainerDevice.of(GPU_Y, T4, 1000, 10)));

    assertThatThrownBy(() -> allocate(List.of(GPU_X + "-0")))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("Allocate for pod default/p1 failed: device number not matched");
    assertThat(k8s.bindPhase(pod)).isEqualTo("failed");
    assertThat(k8s.lockReleases).containsExactly(pod);
  }

  @Test
  void aGpuTheNodeDoesNotHaveFailsBeforeTheAnnotationIsTouched() {
    String gone = "GPU-99999999-0000-0000-0000-000000000000";
    var pod = boundPod("p1", "uid-1", List.of(ContainerDevice.of(gone, T4, 1000, 10)));
    String before = k8s.annotations(pod).get(Annotations.DEVICES_TO_ALLOCATE);

    assertThatThrownBy(() -> allocate(List.of(GPU_X + "-0")))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("was given GPU " + gone + ", which this node does not advertise");
    assertThat(k8s.annotations(pod)).containsEntry(Annotations.DEVICES_TO_ALLOCATE, before);
    assertThat(k8s.bindPhase(pod)).isEqualTo("failed");
  }

  @Test
  void reRegistersAndServesAgainAfterKubeletRestarts() throws Exception {
    kubelet.awaitRegistration();
    kubelet.close();
    // A restarting kubelet removes every socket in the plugin directory, the plugin's included.
    Files.deleteIfExists(server.socketPath());
    Thread.sleep(200);
    kubelet.start();

    var again = kubelet.awaitRegistration();
    assertThat(again.getResourceName()).isEqualTo("nvidia.com/gpu");
    // Kubelet sees the request before the plugin sees kubelet's answer.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.registrations() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.registrations()).isEqualTo(2);
    assertThat(kubelet.registrations).as("no duplicate registration").isEmpty();
    channel.shutdownNow();
    connect();
    assertThat(ids(watch().poll(10, TimeUnit.SECONDS))).hasSize(8);
  }

  @Test
  void preferredAllocationFollowsTheAnnotationAndPreStartIsANoOp() {
    boundPod("p1", "uid-1", List.of(ContainerDevice.of(GPU_Y, T4, 3000, 50)));
    var all = new ArrayList<String>();
    for (int i = 0; i < 4; i++) {
      all.add(GPU_X + "-" + i);
    }
    for (int i = 0; i < 4; i++) {
      all.add(GPU_Y + "-" + i);
    }
    var response =
        plugin.getPreferredAllocation(
            PreferredAllocationRequest.newBuilder()
                .addContainerRequests(
                    ContainerPreferredAllocationRequest.newBuilder()
                        .addAllAvailableDeviceIDs(all)
                        .setAllocationSize(1))
                .build());
    assertThat(response.getContainerResponses(0).getDeviceIDsList()).containsExactly(GPU_Y + "-0");
    assertThat(
            plugin
                .getDevicePluginOptions(Empty.getDefaultInstance())
                .getGetPreferredAllocationAvailable())
        .isTrue();
    assertThat(plugin.preStartContainer(PreStartContainerRequest.getDefaultInstance())).isNotNull();
  }

  // --- helpers ---

  private PodRef boundPod(String name, String uid, List<ContainerDevice> devices) {
    var annotations =
        Map.of(
            Annotations.DEVICES_TO_ALLOCATE,
            PodDevicesCodec.encode(List.of(devices)),
            Annotations.BIND_PHASE,
            "allocating",
            Annotations.BIND_TIME,
            "1763895600",
            Annotations.VGPU_NODE,
            NODE);
    var spec =
        new PodSpec(
            uid, name, "default", annotations, List.of(), List.of(ContainerSpec.named("main")));
    k8s.put(new PodInfo(spec, NODE, "Pending"));
    return new PodRef("default", name);
  }

  private List<ContainerAllocateResponse> allocate(List<String> ids) {
    return plugin
        .allocate(
            AllocateRequest.newBuilder()
                .addContainerRequests(ContainerAllocateRequest.newBuilder().addAllDevicesIds(ids))
                .build())
        .getContainerResponsesList();
  }

  private LinkedBlockingQueue<ListAndWatchResponse> watch() {
    var queue = new LinkedBlockingQueue<ListAndWatchResponse>();
    DevicePluginGrpc.newStub(channel)
        .listAndWatch(
            Empty.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(ListAndWatchResponse value) {
                queue.add(value);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    return queue;
  }

  private static List<String> ids(ListAndWatchResponse r) {
    assertThat(r).as("a ListAndWatch response").isNotNull();
    return r.getDevicesList().stream().map(Device::getID).toList();
  }

  private void writeGpus(boolean xHealthy, boolean yHealthy) throws IOException {
    // Write then move so the poller never reads a half-written file.
    Path tmp = dir.resolve("gpus.tmp");
    Files.writeString(
        tmp,
        "gpus:\n"
            + "  - {uuid: "
            + GPU_X
            + ", index: 0, type: "
            + T4
            + ", memoryMiB: 15360, numa: 0, healthy: "
            + xHealthy
            + "}\n"
            + "  - {uuid: "
            + GPU_Y
            + ", index: 1, type: "
            + T4
            + ", memoryMiB: 15360, numa: 1, healthy: "
            + yHealthy
            + "}\n");
    Files.move(
        tmp,
        gpuFile,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
