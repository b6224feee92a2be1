package dev.tessera.deviceplugin.server;

import dev.tessera.deviceplugin.allocate.AllocatorConfig;
import dev.tessera.deviceplugin.config.DevicePluginSettings;
import dev.tessera.deviceplugin.config.FilterDevices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the live device plugin (hami-compat §8.1).
 *
 * @param nodeName env {@code NODE_NAME}: the node whose pods are served
 * @param pluginDir kubelet's device plugin directory, holding kubelet's and this plugin's sockets
 * @param socketName this plugin's socket file in {@code pluginDir}
 * @param kubeletSocketName kubelet's registration socket file in {@code pluginDir}
 * @param resourceName the extended resource advertised, {@code nvidia.com/gpu}
 * @param deviceSplitCount virtual devices advertised per GPU
 * @param enableNumaTopology whether advertised devices carry their NUMA node
 * @param filterDevices GPUs not advertised
 * @param passDeviceSpecs whether Allocate returns {@code /dev/nvidia*} device specs
 * @param allocator what Allocate injects; its {@code enableGetPreferredAllocation} is also the
 *     registration option
 * @param pollInterval how often the device source and kubelet's socket are checked
 * @param retryInterval wait after a failed registration before the next attempt
 */
public record PluginConfig(
    String nodeName,
    Path pluginDir,
    String socketName,
    String kubeletSocketName,
    String resourceName,
    int deviceSplitCount,
    boolean enableNumaTopology,
    FilterDevices filterDevices,
    boolean passDeviceSpecs,
    AllocatorConfig allocator,
    Duration pollInterval,
    Duration retryInterval) {
  public static final Path DEFAULT_PLUGIN_DIR = Path.of("/var/lib/kubelet/device-plugins");
  public static final String DEFAULT_SOCKET = "nvidia-gpu.sock";
  public static final String KUBELET_SOCKET = "kubelet.sock";
  public static final String RESOURCE_NAME = "nvidia.com/gpu";
  public static final String API_VERSION = "v1beta1";

  public PluginConfig {
    if (nodeName == null || nodeName.isBlank()) {
      throw new IllegalArgumentException(
          "NODE_NAME is required: the plugin serves one node's pods");
    }
    Objects.requireNonNull(pluginDir, "pluginDir");
    Objects.requireNonNull(socketName, "socketName");
    Objects.requireNonNull(kubeletSocketName, "kubeletSocketName");
    Objects.requireNonNull(resourceName, "resourceName");
    Objects.requireNonNull(allocator, "allocator");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(retryInterval, "retryInterval");
    filterDevices = filterDevices == null ? FilterDevices.NONE : filterDevices;
    if (deviceSplitCount < 1) {
      throw new IllegalArgumentException(
          "deviceSplitCount must be at least 1, got " + deviceSplitCount);
    }
  }

  /**
   * HAMi's defaults for {@code nodeName}: kubelet's plugin directory, {@code nvidia-gpu.sock},
   * split count 10, 1 s polling, 5 s retry.
   */
  public static PluginConfig defaults(String nodeName, AllocatorConfig allocator) {
    return new PluginConfig(
        nodeName,
        DEFAULT_PLUGIN_DIR,
        DEFAULT_SOCKET,
        KUBELET_SOCKET,
        RESOURCE_NAME,
        10,
        false,
        FilterDevices.NONE,
        false,
        allocator,
        Duration.ofSeconds(1),
        Duration.ofSeconds(5));
  }

  /** The defaults with the node's effective device-config settings applied. */
  public static PluginConfig of(
      String nodeName, DevicePluginSettings settings, AllocatorConfig allocator) {
    return defaults(nodeName, allocator)
        .withDeviceSplitCount(settings.deviceSplitCount())
        .withNuma(settings.enableNumaTopology())
        .withFilterDevices(settings.filterDevices());
  }

  public Path socketPath() {
    return pluginDir.resolve(socketName);
  }

  public Path kubeletSocketPath() {
    return pluginDir.resolve(kubeletSocketName);
  }

  public PluginConfig withPluginDir(Path dir) {
    return new PluginConfig(
        nodeName,
        dir,
        socketName,
        kubeletSocketName,
        resourceName,
        deviceSplitCount,
        enableNumaTopology,
        filterDevices,
        passDeviceSpecs,
        allocator,
        pollInterval,
        retryInterval);
  }

  public PluginConfig withDeviceSplitCount(int split) {
    return new PluginConfig(
        nodeName,
        pluginDir,
        socketName,
        kubeletSocketName,
        resourceName,
        split,
        enableNumaTopology,
        filterDevices,
        passDeviceSpecs,
        allocator,
        pollInterval,
        retryInterval);
  }

  public PluginConfig withNuma(boolean numa) {
    return new PluginConfig(
        nodeName,
        pluginDir,
        socketName,
        kubeletSocketName,
        resourceName,
        deviceSplitCount,
        numa,
        filterDevices,
        passDeviceSpecs,
        allocator,
        pollInterval,
        retryInterval);
  }

  public PluginConfig withFilterDevices(FilterDevices filter) {
    return new PluginConfig(
        nodeName,
        pluginDir,
        socketName,
        kubeletSocketName,
        resourceName,
        deviceSplitCount,
        enableNumaTopology,
        filter,
        passDeviceSpecs,
        allocator,
        pollInterval,
        retryInterval);
  }

  public PluginConfig withPassDeviceSpecs(boolean pass) {
    return new PluginConfig(
        nodeName,
        pluginDir,
        socketName,
        kubeletSocketName,
        resourceName,
        deviceSplitCount,
        enableNumaTopology,
        filterDevices,
        pass,
        allocator,
        pollInterval,
        retryInterval);
  }

  public PluginConfig withResourceName(String name) {
    return new PluginConfig(
        nodeName,
        pluginDir,
        socketName,
        kubeletSocketName,
        name,
        deviceSplitCount,
        enableNumaTopology,
        filterDevices,
        passDeviceSpecs,
        allocator,
        pollInterval,
        retryInterval);
  }

  public PluginConfig withIntervals(Duration poll, Duration retry) {
    return new PluginConfig(
        nodeName,
        pluginDir,
        socketName,
        kubeletSocketName,
        resourceName,
        deviceSplitCount,
        enableNumaTopology,
        filterDevices,
        passDeviceSpecs,
        allocator,
        poll,
        retry);
  }
}
