package dev.tessera.deviceplugin.daemon;

import dev.tessera.deviceplugin.allocate.AllocationPlanner;
import dev.tessera.deviceplugin.allocate.AllocatorConfig;
import dev.tessera.deviceplugin.config.DevicePluginSettings;
import dev.tessera.deviceplugin.config.NodeConfigFile;
import dev.tessera.deviceplugin.nvml.NvmlDeviceSource;
import dev.tessera.deviceplugin.nvml.XidFilter;
import dev.tessera.deviceplugin.server.DevicePluginServer;
import dev.tessera.deviceplugin.server.DeviceSource;
import dev.tessera.deviceplugin.server.FileDeviceSource;
import dev.tessera.deviceplugin.server.HostDirectories;
import dev.tessera.deviceplugin.server.NodeRegistration;
import dev.tessera.deviceplugin.server.PluginConfig;
import dev.tessera.deviceplugin.topology.TopologySource;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.config.DeviceConfigException;
import dev.tessera.engine.config.DeviceConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The running node agent behind {@code tessera device-plugin}: resolves the configuration, opens
 * the device source, serves kubelet ({@link DevicePluginServer}) and keeps the node annotations
 * current ({@link NodeRegistration}). {@link #close()} stops everything; {@link #awaitClosed()}
 * blocks until then.
 */
public final class DevicePluginDaemon implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DevicePluginDaemon.class.getName());

  /** The device-source spec selecting NVML. */
  public static final String NVML = "nvml";

  /** Prefix of a device-source spec naming a GPU file. */
  public static final String FILE_PREFIX = "file:";

  private final Resolved resolved;
  private final DeviceSource source;
  private final DevicePluginServer server;
  private final NodeRegistration registration;
  private final CountDownLatch closed = new CountDownLatch(1);

  private DevicePluginDaemon(
      Resolved resolved,
      DeviceSource source,
      DevicePluginServer server,
      NodeRegistration registration) {
    this.resolved = resolved;
    this.source = source;
    this.server = server;
    this.registration = registration;
  }

  /**
   * The effective configuration of one node.
   *
   * @param settings device config with the node's {@code config.json} entry applied
   * @param plugin what the kubelet-facing server runs with
   */
  public record Resolved(DevicePluginSettings settings, PluginConfig plugin) {}

  /**
   * Reads the device config and the node config and combines them with the options (hami-compat
   * §10.1, §10.3): {@code deviceSplitCount}, {@code deviceMemoryScaling}, {@code
   * deviceCoreScaling}, {@code preConfiguredDeviceMemory}, {@code enableNumaTopology}, {@code
   * libCudaLogLevel}, {@code disableCoreLimit} and {@code migStrategy} from the device config,
   * overridden per node by {@code config.json}.
   *
   * @throws DeviceConfigException when the device config is unreadable or invalid for the plugin
   * @throws dev.tessera.deviceplugin.config.NodeConfigException when the node config is invalid
   * @throws DaemonException when an option is invalid
   */
  public static Resolved resolve(DaemonOptions options) {
    if (options.nodeName() == null || options.nodeName().isBlank()) {
      throw new DaemonException(
          "the node name is required: pass --node-name or set NODE_NAME (the downward API's"
              + " spec.nodeName)");
    }
    String source = options.deviceConfig().map(Path::toString).orElse("built-in chart defaults");
    DeviceConfig dc =
        options.deviceConfig().map(DeviceConfigLoader::load).orElse(DeviceConfig.chartDefaults());
    if (dc.deviceSplitCount() < 1) {
      throw new DeviceConfigException(
          source,
          "nvidia.deviceSplitCount",
          "the device plugin needs at least 1 virtual device per GPU, got "
              + dc.deviceSplitCount());
    }
    if (!(dc.deviceMemoryScaling() > 0) || !(dc.deviceCoreScaling() > 0)) {
      throw new DeviceConfigException(
          source,
          "nvidia.deviceMemoryScaling/deviceCoreScaling",
          "both must be positive (the chart sets 1), got "
              + dc.deviceMemoryScaling()
              + " and "
              + dc.deviceCoreScaling());
    }
    String mig = options.migStrategy().orElse(dc.migStrategy());
    if (!mig.isEmpty() && !mig.equals("none")) {
      String problem =
          mig.equals("single") || mig.equals("mixed")
              ? "static MIG strategy \"" + mig + "\" is not supported yet; use none"
              : "unknown MIG strategy \"" + mig + "\"; expected none, single or mixed";
      if (options.migStrategy().isPresent()) {
        throw new DaemonException("--mig-strategy: " + problem);
      }
      throw new DeviceConfigException(source, "nvidia.migStrategy", problem);
    }
    var base =
        new DevicePluginSettings(
            DevicePluginSettings.MODE_HAMI_CORE,
            dc.deviceSplitCount(),
            dc.deviceMemoryScaling(),
            dc.deviceCoreScaling(),
            dc.preConfiguredDeviceMemory().orElse(0),
            Integer.toString(dc.libCudaLogLevel()),
            dc.enableNumaTopology(),
            null,
            false);
    DevicePluginSettings settings =
        NodeConfigFile.load(options.nodeConfig())
            .map(f -> f.apply(base, options.nodeName()))
            .orElse(base);
    if (settings.deviceSplitCount() < 1) {
      throw new DaemonException(
          options.nodeConfig()
              + ": devicesplitcount of node "
              + options.nodeName()
              + " must be at least 1, got "
              + settings.deviceSplitCount());
    }
    var allocator =
        AllocatorConfig.defaults(options.hookPath())
            .withOperatingMode(settings.operatingMode())
            .withDeviceMemoryScaling(settings.deviceMemoryScaling())
            .withLibCudaLogLevel(settings.libCudaLogLevel())
            .withDisableCoreLimit(dc.disableCoreLimit())
            .withEnableGetPreferredAllocation(settings.enableGetPreferredAllocation());
    var plugin =
        PluginConfig.of(options.nodeName(), settings, allocator)
            .withPluginDir(options.kubeletDir())
            .withResourceName(options.resourceName())
            .withPassDeviceSpecs(options.passDeviceSpecs());
    return new Resolved(settings, plugin);
  }

  /**
   * Opens the device source named by {@code spec}: {@code nvml} (with the XID health watch set up
   * by {@code DP_DISABLE_HEALTHCHECKS} / {@code DP_ENABLE_HEALTHCHECKS}) or {@code file:PATH}.
   *
   * @throws DaemonException when the spec is neither, or the file does not exist
   * @throws dev.tessera.deviceplugin.nvml.NvmlUnavailableException when NVML is absent
   */
  public static DeviceSource openDeviceSource(String spec) {
    checkDeviceSource(spec);
    if (spec.equals(NVML)) {
      var nvml = NvmlDeviceSource.open();
      try {
        nvml.startXidWatch(
            XidFilter.fromEnv(
                Optional.ofNullable(System.getenv(XidFilter.DISABLE_ENV)),
                Optional.ofNullable(System.getenv(XidFilter.ENABLE_ENV))));
      } catch (RuntimeException e) {
        nvml.close();
        throw e;
      }
      return nvml;
    }
    return new FileDeviceSource(Path.of(spec.substring(FILE_PREFIX.length())));
  }

  /**
   * Checks a device-source spec without opening it: {@code nvml}, or {@code file:PATH} naming an
   * existing file.
   *
   * @throws DaemonException naming the spec and what is expected
   */
  public static void checkDeviceSource(String spec) {
    if (spec.equals(NVML)) {
      return;
    }
    if (spec.startsWith(FILE_PREFIX) && spec.length() > FILE_PREFIX.length()) {
      Path file = Path.of(spec.substring(FILE_PREFIX.length()));
      if (!Files.isRegularFile(file)) {
        throw new DaemonException("--device-source " + spec + ": no such file " + file);
      }
      return;
    }
    throw new DaemonException(
        "--device-source \"" + spec + "\": expected nvml or file:PATH (a YAML GPU list)");
  }

  /**
   * Resolves the configuration, opens the device source, starts serving kubelet and writing the
   * node annotations.
   *
   * @throws IOException when the plugin socket cannot be bound
   * @throws RuntimeException the typed errors of {@link #resolve} and {@link #openDeviceSource}, or
   *     a {@link dev.tessera.deviceplugin.server.DeviceSourceException} when no GPU list can be
   *     read
   */
  public static DevicePluginDaemon start(DaemonOptions options, ClusterAccess cluster)
      throws IOException {
    Objects.requireNonNull(cluster, "cluster");
    Resolved resolved = resolve(options);
    DeviceSource source = openDeviceSource(options.deviceSource());
    DevicePluginServer server = null;
    NodeRegistration registration = null;
    try {
      var plugin = resolved.plugin();
      server =
          new DevicePluginServer(
              plugin,
              source,
              cluster.pods(),
              cluster.podPatcher(),
              AllocationPlanner.forHost(plugin.allocator()),
              HostDirectories.local());
      server.start();
      Optional<TopologySource> topology = Optional.empty();
      if (options.topologyScore()) {
        if (!(source instanceof TopologySource t)) {
          throw new DaemonException(
              "--topology-score: device source " + options.deviceSource() + " has no topology");
        }
        topology = Optional.of(t);
      }
      DevicePluginServer s = server;
      registration =
          new NodeRegistration(
              plugin.nodeName(),
              resolved.settings(),
              s::gpus,
              cluster.nodePatcher(),
              topology,
              NodeRegistration.PERIOD,
              NodeRegistration.RETRY);
      registration.start();
      LOG.log(
          System.Logger.Level.INFO,
          "device plugin for node "
              + plugin.nodeName()
              + ": "
              + s.gpus().size()
              + " GPU(s) from "
              + options.deviceSource()
              + ", "
              + plugin.resourceName()
              + " x"
              + plugin.deviceSplitCount()
              + " per GPU, mode "
              + resolved.settings().operatingMode()
              + ", socket "
              + plugin.socketPath()
              + (topology.isPresent() ? ", publishing pair scores" : ""));
      if (AllocatorConfig.MODE_MIG.equals(resolved.settings().operatingMode())) {
        LOG.log(
            System.Logger.Level.WARNING,
            "node "
                + plugin.nodeName()
                + " runs in mig mode, but this build cannot create MIG instances through NVML:"
                + " MIG Allocate calls will fail");
      }
      return new DevicePluginDaemon(resolved, source, server, registration);
    } catch (IOException | RuntimeException e) {
      if (registration != null) {
        registration.close();
      }
      if (server != null) {
        server.close();
      }
      closeSource(source);
      throw e;
    }
  }

  /** The configuration in effect. */
  public Resolved resolved() {
    return resolved;
  }

  /** The kubelet-facing server. */
  public DevicePluginServer server() {
    return server;
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /** Stops the annotation writer and the server (socket removed), then closes the source. */
  @Override
  public synchronized void close() {
    if (closed.getCount() == 0) {
      return;
    }
    try {
      registration.close();
      server.close();
      closeSource(source);
      LOG.log(
          System.Logger.Level.INFO,
          "device plugin for node " + resolved.plugin().nodeName() + " stopped");
    } finally {
      closed.countDown();
    }
  }

  private static void closeSource(DeviceSource source) {
    if (source instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing the device source failed: " + e);
      }
    }
  }
}
