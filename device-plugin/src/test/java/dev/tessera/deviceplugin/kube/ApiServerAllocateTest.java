package dev.tessera.deviceplugin.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.deviceplugin.api.v1beta1.AllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.ContainerAllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.DevicePluginGrpc;
import dev.tessera.deviceplugin.daemon.ClusterAccess;
import dev.tessera.deviceplugin.daemon.DaemonOptions;
import dev.tessera.deviceplugin.daemon.DevicePluginDaemon;
import dev.tessera.deviceplugin.server.FakeKubelet;
import dev.tessera.deviceplugin.server.UnixSockets;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.extender.testing.FakeApiServer;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin against an API server: a pod the extender bound (annotations, node lock) gets its
 * devices, its annotations are written back over HTTP and the node lock is released.
 */
class ApiServerAllocateTest {
  private static final String GPU = "GPU-0b9b5c8e-1111-2222-3333-444455556666";

  private static com.fasterxml.jackson.databind.JsonNode node(FakeApiServer api) {
    return api.get("v1/nodes", "", "gpu-1").orElseThrow();
  }

  @Test
  void aPodBoundByTheExtenderIsServedThroughTheApiServer() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "dpapi");
    EventLoopGroup group = UnixSockets.newEventLoopGroup(1);
    try (var api = FakeApiServer.start();
        var kubelet = new FakeKubelet(dir.resolve("kubelet.sock"), group).start()) {
      Files.writeString(
          dir.resolve("gpus.yaml"),
          "gpus:\n  - {uuid: " + GPU + ", index: 0, type: Tesla T4, memoryMiB: 15360}\n");
      api.create(
          "v1/nodes",
          "{\"metadata\":{\"name\":\"gpu-1\",\"annotations\":{\""
              + Annotations.NODE_LOCK
              + "\":\"2026-11-23T11:00:00Z,ml,train\"}}}");
      api.create(
          "v1/pods",
          """
          {"apiVersion":"v1","kind":"Pod",
           "metadata":{"name":"train","namespace":"ml","annotations":{
             "hami.io/vgpu-devices-to-allocate":"%s,NVIDIA,3000,25:;",
             "hami.io/bind-phase":"allocating","hami.io/bind-time":"1763895600",
             "hami.io/vgpu-node":"gpu-1"}},
           "spec":{"nodeName":"gpu-1","containers":[{"name":"main"}]},
           "status":{"phase":"Pending"}}
          """
              .formatted(GPU));
      var k8s = new KubernetesClusterAccess(api.client());
      var options =
          new DaemonOptions(
              "gpu-1",
              "file:" + dir.resolve("gpus.yaml"),
              Optional.empty(),
              dir.resolve("none.json"),
              dir,
              "nvidia.com/gpu",
              dir.resolve("hook").toString(),
              Optional.empty(),
              false,
              false);

      try (var daemon = DevicePluginDaemon.start(options, new ClusterAccess(k8s, k8s, k8s))) {
        kubelet.awaitRegistration();
        var channel = UnixSockets.channel(dir.resolve("nvidia-gpu.sock"), group);
        try {
          var env =
              DevicePluginGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .allocate(
                      AllocateRequest.newBuilder()
                          .addContainerRequests(
                              ContainerAllocateRequest.newBuilder().addDevicesIds(GPU + "-7"))
                          .build())
                  .getContainerResponses(0)
                  .getEnvsMap();
          assertThat(env)
              .containsEntry("NVIDIA_VISIBLE_DEVICES", GPU)
              .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m")
              .containsEntry("CUDA_DEVICE_SM_LIMIT", "25");
        } finally {
          channel.shutdownNow();
        }
        var annotations =
            api.get("v1/pods", "ml", "train").orElseThrow().at("/metadata/annotations");
        assertThat(annotations.get(Annotations.BIND_PHASE).asText()).isEqualTo("success");
        assertThat(annotations.get(Annotations.DEVICES_TO_ALLOCATE).asText())
            .doesNotContain("NVIDIA");
        assertThat(k8s.nodeLock("gpu-1")).isEmpty();

        // The register annotation reaches the node too (written on start, in the background).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!node(api).at("/metadata/annotations").has(Annotations.NODE_REGISTER)) {
          assertThat(System.nanoTime()).isLessThan(deadline);
          Thread.sleep(20);
        }
        String registered =
            node(api).at("/metadata/annotations").get(Annotations.NODE_REGISTER).asText();
        assertThat(NodeRegisterCodec.decode(registered))
            .singleElement()
            .satisfies(d -> assertThat(d.uuid()).isEqualTo(GPU));
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
