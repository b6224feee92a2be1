package dev.tessera.cli;

import dev.tessera.deviceplugin.daemon.ClusterAccess;
import dev.tessera.deviceplugin.daemon.DaemonOptions;
import dev.tessera.deviceplugin.daemon.DevicePluginDaemon;
import dev.tessera.deviceplugin.kube.KubernetesClusterAccess;
import dev.tessera.deviceplugin.server.PluginConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tessera device-plugin}: the kubelet device plugin for one GPU node (hami-compat §8). Runs
 * until SIGTERM/SIGINT, then unregisters its socket and stops cleanly.
 */
@Command(
    name = "device-plugin",
    mixinStandardHelpOptions = true,
    description = {
      "Run the kubelet device plugin on a GPU node: advertise shareable GPUs to kubelet, hand each"
          + " container the devices and limits the scheduler chose, and keep the node's"
          + " hami.io/node-nvidia-register annotation current. Stops on SIGTERM.",
      "Exit code 0: stopped by a signal; 2: bad option or configuration."
    })
final class DevicePluginCommand implements Callable<Integer> {
  @Option(
      names = "--node-name",
      defaultValue = "${env:NODE_NAME}",
      paramLabel = "NAME",
      description = "The node this plugin serves (default: env NODE_NAME).")
  String nodeName;

  @Option(
      names = "--device-source",
      defaultValue = "nvml",
      paramLabel = "nvml|file:PATH",
      description =
          "Where GPUs come from: nvml (libnvidia-ml.so.1) or file:PATH, a YAML GPU list"
              + " (docs/device-plugin.md) (default: ${DEFAULT-VALUE}).")
  String deviceSource;

  @Option(
      names = "--config",
      defaultValue = "${env:CONFIG_FILE}",
      paramLabel = "FILE",
      description =
          "HAMi device-config.yaml or the hami-scheduler-device ConfigMap: deviceSplitCount,"
              + " deviceMemoryScaling, deviceCoreScaling, migStrategy, disableCoreLimit, …"
              + " (default: env CONFIG_FILE, else the chart's defaults).")
  Path config;

  @Option(
      names = "--node-config",
      defaultValue = "/config/config.json",
      paramLabel = "FILE",
      description =
          "Per-node overrides, HAMi's hami-device-plugin config.json; ignored when absent"
              + " (default: ${DEFAULT-VALUE}).")
  Path nodeConfig;

  @Option(
      names = "--kubelet-dir",
      defaultValue = "/var/lib/kubelet/device-plugins",
      paramLabel = "DIR",
      description = "Kubelet's device plugin directory (default: ${DEFAULT-VALUE}).")
  Path kubeletDir;

  @Option(
      names = "--resource-name",
      defaultValue = PluginConfig.RESOURCE_NAME,
      paramLabel = "NAME",
      description = "Extended resource advertised to kubelet (default: ${DEFAULT-VALUE}).")
  String resourceName;

  @Option(
      names = "--hook-path",
      defaultValue = "${env:HOOK_PATH:-/usr/local}",
      paramLabel = "DIR",
      description =
          "Where vgpu/libvgpu.so lives on the host (default: env HOOK_PATH, else /usr/local).")
  String hookPath;

  @Option(
      names = "--mig-strategy",
      defaultValue = "${env:MIG_STRATEGY}",
      paramLabel = "none",
      description =
          "Static MIG exposure; only none is supported (default: env MIG_STRATEGY, else the"
              + " device config's migStrategy).")
  String migStrategy;

  @Option(
      names = "--topology-score",
      defaultValue = "${env:ENABLE_TOPOLOGY_SCORE:-false}",
      description =
          "Also publish GPU pair scores as hami.io/node-nvidia-score (default: env"
              + " ENABLE_TOPOLOGY_SCORE, else false).")
  boolean topologyScore;

  @Option(
      names = "--pass-device-specs",
      defaultValue = "${env:PASS_DEVICE_SPECS:-false}",
      description =
          "Return /dev/nvidia* device specs from Allocate (default: env PASS_DEVICE_SPECS, else"
              + " false).")
  boolean passDeviceSpecs;

  private final Function<DaemonOptions, ClusterAccess> clusterAccess;
  private DevicePluginDaemon daemon;
  private boolean stopRequested;

  /**
   * The command as picocli builds it: the API server is reached with the pod's service account, or
   * {@code KUBECONFIG} outside a cluster.
   */
  DevicePluginCommand() {
    this(DevicePluginCommand::kubernetesApi);
  }

  /** A command reaching the API server through {@code clusterAccess} (tests use a fake). */
  DevicePluginCommand(Function<DaemonOptions, ClusterAccess> clusterAccess) {
    this.clusterAccess = Objects.requireNonNull(clusterAccess);
  }

  DaemonOptions options() {
    return new DaemonOptions(
        nodeName,
        deviceSource,
        Optional.ofNullable(config),
        nodeConfig,
        kubeletDir,
        resourceName,
        hookPath,
        Optional.ofNullable(migStrategy).filter(s -> !s.isEmpty()),
        topologyScore,
        passDeviceSpecs);
  }

  @Override
  public Integer call() throws Exception {
    DaemonOptions options = options();
    // Bad options fail before the API server is contacted.
    DevicePluginDaemon.resolve(options);
    DevicePluginDaemon.checkDeviceSource(options.deviceSource());
    DevicePluginDaemon started = DevicePluginDaemon.start(options, clusterAccess.apply(options));
    synchronized (this) {
      daemon = started;
      if (stopRequested) {
        started.close();
      }
    }
    // SIGTERM (kubelet stopping the DaemonSet pod) runs shutdown hooks: close the plugin there so
    // that its socket is removed and kubelet sees it go.
    Thread hook = new Thread(started::close, "device-plugin-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      started.awaitClosed();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting through the hook itself; nothing to remove.
      }
    }
    return 0;
  }

  /** Stops a running plugin as SIGTERM would; {@link #call()} then returns 0. */
  synchronized void stop() {
    stopRequested = true;
    if (daemon != null) {
      daemon.close();
    }
  }

  /** The running plugin, once started. */
  synchronized Optional<DevicePluginDaemon> daemon() {
    return Optional.ofNullable(daemon);
  }

  private static ClusterAccess kubernetesApi(DaemonOptions options) {
    return KubernetesClusterAccess.fromEnvironment();
  }
}
