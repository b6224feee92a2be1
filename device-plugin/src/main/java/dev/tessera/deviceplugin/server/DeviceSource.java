package dev.tessera.deviceplugin.server;

import java.util.List;

/**
 * Where the plugin learns the node's GPUs and their health. The server polls it; a GPU reported
 * unhealthy once stays unhealthy until the plugin restarts (hami-compat §8.2).
 *
 * <p>Implementations: {@link FileDeviceSource} (tests, demos, simulation) and {@link
 * dev.tessera.deviceplugin.nvml.NvmlDeviceSource} (NVML through JNA).
 */
@FunctionalInterface
public interface DeviceSource {
  /**
   * The GPUs of this node, in index order.
   *
   * @throws DeviceSourceException when the GPUs cannot be read; the server keeps the last good list
   */
  List<GpuInfo> devices();
}
