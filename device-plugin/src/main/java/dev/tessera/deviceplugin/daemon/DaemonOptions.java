package dev.tessera.deviceplugin.daemon;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code tessera device-plugin} is started with (hami-compat §8.1, §10.4).
 *
 * @param nodeName the node served (env {@code NODE_NAME})
 * @param deviceSource {@code nvml}, or {@code file:PATH} for a GPU file ({@link
 *     dev.tessera.deviceplugin.server.FileDeviceSource})
 * @param deviceConfig HAMi's {@code device-config.yaml} (bare file or the ConfigMap); empty = the
 *     chart's defaults
 * @param nodeConfig per-node {@code config.json}; a missing file means no per-node overrides
 * @param kubeletDir kubelet's device plugin directory
 * @param resourceName the extended resource advertised
 * @param hookPath {@code HOOK_PATH}, root of {@code vgpu/} on the host and in containers
 * @param migStrategy static-MIG strategy; empty = the device config's {@code migStrategy}
 * @param topologyScore publish {@code hami.io/node-nvidia-score} ({@code ENABLE_TOPOLOGY_SCORE})
 * @param passDeviceSpecs return {@code /dev/nvidia*} device specs ({@code PASS_DEVICE_SPECS})
 */
public record DaemonOptions(
    String nodeName,
    String deviceSource,
    Optional<Path> deviceConfig,
    Path nodeConfig,
    Path kubeletDir,
    String resourceName,
    String hookPath,
    Optional<String> migStrategy,
    boolean topologyScore,
    boolean passDeviceSpecs) {
  public DaemonOptions {
    Objects.requireNonNull(deviceSource, "deviceSource");
    Objects.requireNonNull(deviceConfig, "deviceConfig");
    Objects.requireNonNull(nodeConfig, "nodeConfig");
    Objects.requireNonNull(kubeletDir, "kubeletDir");
    Objects.requireNonNull(resourceName, "resourceName");
    Objects.requireNonNull(hookPath, "hookPath");
    Objects.requireNonNull(migStrategy, "migStrategy");
  }
}
