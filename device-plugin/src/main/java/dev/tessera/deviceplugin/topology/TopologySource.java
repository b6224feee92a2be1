package dev.tessera.deviceplugin.topology;

import java.util.List;

/**
 * Where the plugin learns how the node's GPUs are linked, for {@code hami.io/node-nvidia-score}
 * (hami-compat §3.2).
 */
@FunctionalInterface
public interface TopologySource {
  /**
   * Every GPU with its link entries towards each peer, in index order.
   *
   * @throws dev.tessera.deviceplugin.server.DeviceSourceException when the links cannot be read
   */
  List<GpuLinks> links();
}
