package dev.tessera.deviceplugin.server;

import dev.tessera.deviceplugin.allocate.AllocationPlanner;
import dev.tessera.deviceplugin.api.v1beta1.DevicePluginOptions;
import dev.tessera.deviceplugin.api.v1beta1.RegisterRequest;
import dev.tessera.deviceplugin.api.v1beta1.RegistrationGrpc;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live device plugin (hami-compat §8): serves {@code v1beta1.DevicePlugin} on a Unix socket in
 * kubelet's plugin directory, registers with kubelet, streams device health, and registers again
 * whenever kubelet's socket is recreated (kubelet restarted). {@link #close()} shuts down
 * gracefully.
 */
public final class DevicePluginServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DevicePluginServer.class.getName());
  private static final long REGISTER_DEADLINE_SECONDS = 5;

  private final PluginConfig config;
  private final DeviceSource deviceSource;
  private final AdvertisedDevices devices;
  private final DevicePluginService service;
  private final EventLoopGroup group;
  private final ScheduledExecutorService watcher;
  private final AtomicInteger registrations = new AtomicInteger();

  // Only touched by start(), close() and the single watcher thread, under this monitor.
  private Server server;
  private Object registeredKubelet;
  private long nextAttemptNanos;
  private boolean closed;

  /**
   * @param planner plans Allocate responses (e.g. {@link AllocationPlanner#forHost})
   * @param directories creates the host directories Allocate mounts
   */
  public DevicePluginServer(
      PluginConfig config,
      DeviceSource deviceSource,
      PodSource pods,
      PodPatcher patcher,
      AllocationPlanner planner,
      HostDirectories directories) {
    this.config = Objects.requireNonNull(config);
    this.deviceSource = Objects.requireNonNull(deviceSource);
    this.devices = new AdvertisedDevices(config);
    this.service = new DevicePluginService(config, devices, pods, patcher, planner, directories);
    this.group = UnixSockets.newEventLoopGroup(2);
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "device-plugin-watcher");
              t.setDaemon(true);
              return t;
            });
  }

  /** A server on the real host: {@link AllocationPlanner#forHost} and real directories. */
  public static DevicePluginServer create(
      PluginConfig config, DeviceSource deviceSource, PodSource pods, PodPatcher patcher) {
    return new DevicePluginServer(
        config,
        deviceSource,
        pods,
        patcher,
        AllocationPlanner.forHost(config.allocator()),
        HostDirectories.local());
  }

  /**
   * Lists the devices, starts serving on {@link PluginConfig#socketPath()}, registers with kubelet
   * (retried in the background when kubelet is not there yet) and starts watching.
   *
   * @throws DeviceSourceException when the devices cannot be listed
   * @throws IOException when the socket cannot be bound
   */
  public synchronized void start() throws IOException {
    if (closed) {
      throw new IllegalStateException("device plugin server is closed");
    }
    devices.update(deviceSource.devices());
    startServing();
    tryRegister();
    long poll = config.pollInterval().toNanos();
    watcher.scheduleWithFixedDelay(this::tick, poll, poll, TimeUnit.NANOSECONDS);
  }

  /** This plugin's socket. */
  public Path socketPath() {
    return config.socketPath();
  }

  /** How many times registration with kubelet succeeded since start. */
  public int registrations() {
    return registrations.get();
  }

  /**
   * The GPUs as advertised: filtered devices left out, health as kubelet sees it (an unhealthy GPU
   * stays unhealthy).
   */
  public List<GpuInfo> gpus() {
    return devices.gpus();
  }

  /** Re-reads the device source now; watchers get the list if it changed. */
  public void refreshDevices() {
    try {
      devices.update(deviceSource.devices());
    } catch (DeviceSourceException e) {
      LOG.log(System.Logger.Level.WARNING, "keeping the last device list: " + e.getMessage());
    }
  }

  private void tick() {
    try {
      refreshDevices();
      synchronized (this) {
        if (!closed) {
          watchKubelet();
        }
      }
    } catch (RuntimeException | IOException e) {
      // Never let the periodic task die: the next tick tries again.
      LOG.log(System.Logger.Level.WARNING, "device plugin watch failed: " + e);
    }
  }

  // Kubelet deletes every socket in the plugin directory and recreates its own when it restarts;
  // the plugin then serves again and registers anew.
  private void watchKubelet() throws IOException {
    Object key = kubeletSocketKey();
    if (key == null) {
      registeredKubelet = null;
      return;
    }
    if (key.equals(registeredKubelet) || System.nanoTime() < nextAttemptNanos) {
      return;
    }
    if (!Files.exists(config.socketPath())) {
      stopServing();
      startServing();
    }
    tryRegister();
  }

  private Object kubeletSocketKey() {
    try {
      var a = Files.readAttributes(config.kubeletSocketPath(), BasicFileAttributes.class);
      // The inode can be reused by a recreated socket; the times tell the two apart.
      return List.of(
          String.valueOf(a.fileKey()),
          a.creationTime().toString(),
          a.lastModifiedTime().toString());
    } catch (IOException e) {
      return null;
    }
  }

  private void startServing() throws IOException {
    Files.createDirectories(config.pluginDir());
    Files.deleteIfExists(config.socketPath());
    server = UnixSockets.server(config.socketPath(), group).addService(service).build().start();
    LOG.log(System.Logger.Level.INFO, "serving device plugin on " + config.socketPath());
  }

  private void stopServing() {
    if (server == null) {
      return;
    }
    devices.closeAll();
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    server = null;
  }

  private void tryRegister() {
    Object key = kubeletSocketKey();
    if (key == null) {
      LOG.log(
          System.Logger.Level.INFO,
          "kubelet socket "
              + config.kubeletSocketPath()
              + " is absent; registering when it appears");
      return;
    }
    var channel = UnixSockets.channel(config.kubeletSocketPath(), group);
    try {
      RegistrationGrpc.newBlockingStub(channel)
          .withDeadlineAfter(REGISTER_DEADLINE_SECONDS, TimeUnit.SECONDS)
          .register(
              RegisterRequest.newBuilder()
                  .setVersion(PluginConfig.API_VERSION)
                  .setEndpoint(config.socketName())
                  .setResourceName(config.resourceName())
                  .setOptions(
                      DevicePluginOptions.newBuilder()
                          .setGetPreferredAllocationAvailable(
                              config.allocator().enableGetPreferredAllocation()))
                  .build());
      registeredKubelet = key;
      registrations.incrementAndGet();
      LOG.log(
          System.Logger.Level.INFO,
          "registered " + config.resourceName() + " with kubelet at " + config.kubeletSocketPath());
    } catch (StatusRuntimeException e) {
      nextAttemptNanos = System.nanoTime() + config.retryInterval().toNanos();
      LOG.log(
          System.Logger.Level.WARNING,
          "registration with kubelet failed, retrying in "
              + config.retryInterval()
              + ": "
              + e.getStatus());
    } finally {
      channel.shutdownNow();
    }
  }

  /** Stops watching, ends the ListAndWatch streams, stops serving and removes the socket. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    watcher.shutdownNow();
    try {
      watcher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      stopServing();
    }
    try {
      Files.deleteIfExists(config.socketPath());
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot remove " + config.socketPath() + ": " + e);
    }
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
