package dev.tessera.deviceplugin.server;

import dev.tessera.deviceplugin.api.v1beta1.AllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.AllocateResponse;
import dev.tessera.deviceplugin.api.v1beta1.ContainerAllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.Device;
import dev.tessera.deviceplugin.api.v1beta1.DevicePluginGrpc;
import dev.tessera.deviceplugin.api.v1beta1.Empty;
import dev.tessera.deviceplugin.api.v1beta1.RegisterRequest;
import dev.tessera.deviceplugin.api.v1beta1.RegistrationGrpc;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Kubelet's Registration service on {@code kubelet.sock}, recording each Register call. Public in
 * the test-jar: the CLI's end-to-end test drives {@code tessera device-plugin} against it.
 */
public final class FakeKubelet implements AutoCloseable {
  public final LinkedBlockingQueue<RegisterRequest> registrations = new LinkedBlockingQueue<>();
  private final Path socket;
  private final EventLoopGroup group;
  private Server server;
  private volatile String endpoint;

  public FakeKubelet(Path socket, EventLoopGroup group) {
    this.socket = socket;
    this.group = group;
  }

  public FakeKubelet start() throws IOException {
    Files.deleteIfExists(socket);
    server =
        UnixSockets.server(socket, group)
            .addService(
                new RegistrationGrpc.RegistrationImplBase() {
                  @Override
                  public void register(RegisterRequest request, StreamObserver<Empty> out) {
                    endpoint = request.getEndpoint();
                    registrations.add(request);
                    out.onNext(Empty.getDefaultInstance());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    return this;
  }

  public RegisterRequest awaitRegistration() throws InterruptedException {
    var r = registrations.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the plugin did not register with kubelet within 10 s");
    }
    return r;
  }

  /**
   * The devices the registered plugin advertises: the first {@code ListAndWatch} answer, as kubelet
   * reads it before admitting pods.
   */
  public List<Device> advertised() {
    var channel = pluginChannel();
    try {
      var stream =
          DevicePluginGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .listAndWatch(Empty.getDefaultInstance());
      return stream.next().getDevicesList();
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Kubelet's {@code Allocate} on the registered plugin: one container request per list of device
   * IDs, in order.
   *
   * @throws io.grpc.StatusRuntimeException with the plugin's status when it refuses
   */
  public AllocateResponse allocate(List<List<String>> devicesPerContainer) {
    var request = AllocateRequest.newBuilder();
    for (List<String> ids : devicesPerContainer) {
      request.addContainerRequests(ContainerAllocateRequest.newBuilder().addAllDevicesIds(ids));
    }
    var channel = pluginChannel();
    try {
      return DevicePluginGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .allocate(request.build());
    } finally {
      channel.shutdownNow();
    }
  }

  // The endpoint is relative to kubelet's device-plugin directory, as in the real kubelet.
  private io.grpc.ManagedChannel pluginChannel() {
    String e = endpoint;
    if (e == null) {
      throw new IllegalStateException("no plugin has registered with this kubelet yet");
    }
    return UnixSockets.channel(socket.resolveSibling(e), group);
  }

  /** Stops serving and removes the socket, as a stopping kubelet does. */
  @Override
  public void close() throws IOException {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
    }
    Files.deleteIfExists(socket);
  }
}
