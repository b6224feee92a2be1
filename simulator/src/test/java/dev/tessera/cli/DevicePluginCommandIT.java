package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.deviceplugin.allocate.ContainerSpec;
import dev.tessera.deviceplugin.allocate.PodSpec;
import dev.tessera.deviceplugin.api.v1beta1.AllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.ContainerAllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.DevicePluginGrpc;
import dev.tessera.deviceplugin.daemon.ClusterAccess;
import dev.tessera.deviceplugin.server.FakeKubelet;
import dev.tessera.deviceplugin.server.FakeKubernetes;
import dev.tessera.deviceplugin.server.PodInfo;
import dev.tessera.deviceplugin.server.UnixSockets;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.codec.PairScoresCodec;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.codec.PodRef;
import dev.tessera.engine.model.ContainerDevice;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code tessera device-plugin} end to end: the command as the CLI parses it, a GPU file, a fake
 * kubelet over real Unix sockets and an in-memory API server.
 */
class DevicePluginCommandIT {
  private static final String NODE = "gpu-node-1";
  private static final String GPU_A = "GPU-0b9b5c8e-1111-2222-3333-444455556666";
  private static final String GPU_B = "GPU-7f1d2e3c-aaaa-bbbb-cccc-ddddeeeeffff";

  private Path dir;
  private EventLoopGroup group;
  private FakeKubelet kubelet;
  private final FakeKubernetes k8s = new FakeKubernetes();
  private final List<Map<String, String>> nodePatches = new CopyOnWriteArrayList<>();
  private final ExecutorService runner = Executors.newSingleThreadExecutor();
  private DevicePluginCommand command;

  @BeforeEach
  void setUp() throws IOException {
    // Unix socket paths must stay short, so not JUnit's @TempDir.
    dir = Files.createTempDirectory(Path.of("/tmp"), "dpcli");
    Files.writeString(
        dir.resolve("gpus.yaml"),
        """
        gpus:
          - uuid: %s
            index: 0
            type: Tesla T4
            memoryMiB: 15360
            links:
              1: [P2PLinkSameCPU]
          - uuid: %s
            index: 1
            type: Tesla T4
            memoryMiB: 15360
            numa: 1
            links:
              0: [P2PLinkSameCPU]
        """
            .formatted(GPU_A, GPU_B));
    Files.writeString(
        dir.resolve("device-config.yaml"),
        """
        nvidia:
          deviceSplitCount: 4
          deviceMemoryScaling: 2
          deviceCoreScaling: 1
          libCudaLogLevel: 1
          disableCoreLimit: true
          migStrategy: none
        """);
    group = UnixSockets.newEventLoopGroup(1);
    kubelet = new FakeKubelet(dir.resolve("kubelet.sock"), group).start();
    command =
        new DevicePluginCommand(
            options -> new ClusterAccess(k8s, k8s, (node, a) -> nodePatches.add(a)));
  }

  @AfterEach
  void tearDown() throws Exception {
    command.stop();
    runner.shutdownNow();
    kubelet.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Future<Integer> run(String... args) {
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            return cls == DevicePluginCommand.class
                ? cls.cast(command)
                : CommandLine.defaultFactory().create(cls);
          }
        };
    var cl = TesseraCli.newCommandLine(factory);
    cl.setErr(new PrintWriter(new StringWriter(), true));
    return runner.submit(() -> cl.execute(args));
  }

  @Test
  void registersWithKubeletAnnotatesTheNodeServesAllocateAndStopsCleanly() throws Exception {
    var pod = boundPod(List.of(ContainerDevice.of(GPU_B, "NVIDIA", 3000, 30)));
    Future<Integer> exit =
        run(
            "device-plugin",
            "--node-name",
            NODE,
            "--device-source",
            "file:" + dir.resolve("gpus.yaml"),
            "--config",
            dir.resolve("device-config.yaml").toString(),
            "--node-config",
            dir.resolve("no-node-config.json").toString(),
            "--kubelet-dir",
            dir.toString(),
            "--hook-path",
            dir.resolve("hook").toString(),
            "--topology-score");

    var registration = kubelet.awaitRegistration();
    assertThat(registration.getResourceName()).isEqualTo("nvidia.com/gpu");
    assertThat(registration.getEndpoint()).isEqualTo("nvidia-gpu.sock");

    var annotations = awaitNodePatch();
    var registered = NodeRegisterCodec.decode(annotations.get(Annotations.NODE_REGISTER));
    assertThat(registered)
        .extracting(d -> d.uuid(), d -> d.splitCount(), d -> d.memoryMiB(), d -> d.type())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(GPU_A, 4, 30720, "NVIDIA-Tesla T4"),
            org.assertj.core.groups.Tuple.tuple(GPU_B, 4, 30720, "NVIDIA-Tesla T4"));
    assertThat(
            PairScoresCodec.decode(annotations.get(Annotations.NODE_PAIR_SCORE))
                .score(GPU_A, GPU_B))
        .isEqualTo(20);

    var channel = UnixSockets.channel(dir.resolve("nvidia-gpu.sock"), group);
    try {
      var response =
          DevicePluginGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .allocate(
                  AllocateRequest.newBuilder()
                      .addContainerRequests(
                          ContainerAllocateRequest.newBuilder().addDevicesIds(GPU_B + "-2"))
                      .build())
              .getContainerResponses(0);
      assertThat(response.getEnvsMap())
          .containsEntry("NVIDIA_VISIBLE_DEVICES", GPU_B)
          .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m")
          .containsEntry("CUDA_DEVICE_SM_LIMIT", "30")
          .containsEntry("CUDA_OVERSUBSCRIBE", "true")
          .containsEntry("LIBCUDA_LOG_LEVEL", "1")
          .containsEntry("GPU_CORE_UTILIZATION_POLICY", "disable");
      assertThat(response.getMountsList())
          .anySatisfy(
              m ->
                  assertThat(m.getHostPath())
                      .isEqualTo(dir.resolve("hook") + "/vgpu/containers/uid-1_main"));
    } finally {
      channel.shutdownNow();
    }
    assertThat(k8s.bindPhase(pod)).isEqualTo("success");
    assertThat(dir.resolve("hook/vgpu/containers/uid-1_main")).isDirectory();

    command.stop();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(dir.resolve("nvidia-gpu.sock")).doesNotExist();
  }

  @Test
  void anUnknownDeviceSourceExitsWith2AndSaysWhatIsExpected() throws Exception {
    var err = new StringWriter();
    var cl = TesseraCli.newCommandLine();
    cl.setErr(new PrintWriter(err, true));
    int code =
        cl.execute(
            "device-plugin",
            "--node-name",
            NODE,
            "--device-source",
            "gpu-magic",
            "--node-config",
            dir.resolve("none.json").toString(),
            "--kubelet-dir",
            dir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("expected nvml or file:PATH");
  }

  private Map<String, String> awaitNodePatch() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (nodePatches.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the plugin did not annotate node " + NODE + " within 10 s");
      }
      Thread.sleep(20);
    }
    return nodePatches.get(0);
  }

  private PodRef boundPod(List<ContainerDevice> devices) {
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
            "uid-1",
            "train",
            "default",
            annotations,
            List.of(),
            List.of(ContainerSpec.named("main")));
    k8s.put(new PodInfo(spec, NODE, "Pending"));
    return new PodRef("default", "train");
  }
}
