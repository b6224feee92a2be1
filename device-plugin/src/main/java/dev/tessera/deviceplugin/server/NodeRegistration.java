package dev.tessera.deviceplugin.server;

import dev.tessera.deviceplugin.config.DevicePluginSettings;
import dev.tessera.deviceplugin.topology.PairScoring;
import dev.tessera.deviceplugin.topology.TopologySource;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.codec.PairScoresCodec;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.MigProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Writes {@code hami.io/node-nvidia-register} (hami-compat §3.1.1, §8.1): on start, then every 30
 * s, and 5 s after a failure; the node is patched only when the JSON differs from the last value
 * patched successfully. With a {@link TopologySource} (HAMi's {@code ENABLE_TOPOLOGY_SCORE=true})
 * the same patch carries {@code hami.io/node-nvidia-score} (§3.2). In {@code mig} mode the GPUs'
 * MIG profiles are registered.
 */
public final class NodeRegistration implements AutoCloseable {
  public static final Duration PERIOD = Duration.ofSeconds(30);
  public static final Duration RETRY = Duration.ofSeconds(5);
  private static final System.Logger LOG = System.getLogger(NodeRegistration.class.getName());

  private final String nodeName;
  private final DevicePluginSettings settings;
  private final Supplier<List<GpuInfo>> gpus;
  private final NodePatcher patcher;
  private final Optional<TopologySource> topology;
  private final Duration period;
  private final Duration retry;
  private final ScheduledExecutorService timer;
  private Map<String, String> lastPatched;

  /**
   * Register annotation only.
   *
   * @param gpus the GPUs with the plugin's (sticky) health, e.g. {@link DevicePluginServer#gpus()}
   */
  public NodeRegistration(
      String nodeName,
      DevicePluginSettings settings,
      Supplier<List<GpuInfo>> gpus,
      NodePatcher patcher,
      Duration period,
      Duration retry) {
    this(nodeName, settings, gpus, patcher, Optional.empty(), period, retry);
  }

  /**
   * @param gpus the GPUs with the plugin's (sticky) health, e.g. {@link DevicePluginServer#gpus()}
   * @param topology when present, the pair scores are published too
   */
  public NodeRegistration(
      String nodeName,
      DevicePluginSettings settings,
      Supplier<List<GpuInfo>> gpus,
      NodePatcher patcher,
      Optional<TopologySource> topology,
      Duration period,
      Duration retry) {
    this.nodeName = Objects.requireNonNull(nodeName);
    this.settings = Objects.requireNonNull(settings);
    this.gpus = Objects.requireNonNull(gpus);
    this.patcher = Objects.requireNonNull(patcher);
    this.topology = Objects.requireNonNull(topology);
    this.period = Objects.requireNonNull(period);
    this.retry = Objects.requireNonNull(retry);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "node-register");
              t.setDaemon(true);
              return t;
            });
  }

  /** Registers now and then periodically, in the background. */
  public void start() {
    timer.execute(this::runAndReschedule);
  }

  private void runAndReschedule() {
    boolean ok = registerOnce();
    Duration next = ok ? period : retry;
    if (!timer.isShutdown()) {
      timer.schedule(this::runAndReschedule, next.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Builds the register JSON (and the score JSON) and patches the node when either changed.
   *
   * @return false when listing, reading the topology or patching failed (the caller retries
   *     sooner); a topology failure still writes the register annotation
   */
  synchronized boolean registerOnce() {
    try {
      var annotations = new LinkedHashMap<String, String>();
      annotations.put(
          Annotations.NODE_REGISTER,
          NodeRegisterCodec.encode(devicesToRegister(gpus.get(), settings)));
      boolean complete = true;
      if (topology.isPresent()) {
        try {
          annotations.put(Annotations.NODE_PAIR_SCORE, scoreAnnotation(topology.get()));
        } catch (RuntimeException e) {
          complete = false;
          LOG.log(
              System.Logger.Level.WARNING,
              "node " + nodeName + ": " + Annotations.NODE_PAIR_SCORE + " not written: " + e);
        }
      }
      if (annotations.equals(lastPatched)) {
        return complete;
      }
      patcher.patchNodeAnnotations(nodeName, annotations);
      lastPatched = Map.copyOf(annotations);
      return complete;
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "node " + nodeName + ": register annotation not written: " + e);
      return false;
    }
  }

  /** The register value patched last, if any. */
  synchronized Optional<String> lastPatched() {
    return lastPatched == null
        ? Optional.empty()
        : Optional.ofNullable(lastPatched.get(Annotations.NODE_REGISTER));
  }

  /**
   * The {@code hami.io/node-nvidia-score} value for the source's links, in {@link PairScoresCodec}
   * form. Asymmetric pairs score 0 and are logged (HAMi also emits a node Warning event {@value
   * PairScoring#ASYMMETRIC_EVENT_REASON}, which this plugin does not).
   */
  String scoreAnnotation(TopologySource source) {
    var links = source.links();
    for (var pair : PairScoring.asymmetricPairs(links)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "node "
              + nodeName
              + ": "
              + PairScoring.ASYMMETRIC_EVENT_REASON
              + " between "
              + pair.get(0)
              + " and "
              + pair.get(1)
              + "; their pair score is 0");
    }
    return PairScoresCodec.encode(PairScoring.scores(links));
  }

  /**
   * The register entries for {@code gpus} (§3.1.1): filtered devices left out; {@code count} =
   * split count; {@code devmem} = MiB × memory scaling, truncated; a GPU reporting no memory uses
   * {@code preConfiguredDeviceMemory} or is skipped; {@code devcore} = core scaling × 100; the type
   * prefixed {@code NVIDIA-} unless it starts with {@code NVIDIA}; an unknown NUMA node is 0. In
   * {@code mig} mode instead: {@code count} = the largest {@code instanceCount} of the GPU's
   * profiles, {@code devmem} unscaled, {@code devcore} 100, and the profiles registered.
   */
  public static List<GpuDevice> devicesToRegister(
      List<GpuInfo> gpus, DevicePluginSettings settings) {
    boolean mig = GpuDevice.MODE_MIG.equals(settings.operatingMode());
    var out = new ArrayList<GpuDevice>(gpus.size());
    for (GpuInfo g : gpus) {
      if (settings.filterDevices().excludes(g.uuid(), Integer.toString(g.index()))) {
        continue;
      }
      long memory;
      if (g.memoryMiB() > 0) {
        memory = mig ? g.memoryMiB() : (long) (g.memoryMiB() * settings.deviceMemoryScaling());
      } else if (settings.preConfiguredDeviceMemory() > 0) {
        memory = settings.preConfiguredDeviceMemory();
      } else {
        continue;
      }
      String type = g.type().startsWith("NVIDIA") ? g.type() : "NVIDIA-" + g.type();
      int count =
          mig
              ? g.migProfiles().stream().mapToInt(MigProfile::instanceCount).max().orElse(0)
              : settings.deviceSplitCount();
      out.add(
          new GpuDevice(
              g.uuid(),
              g.index(),
              type,
              (int) Math.min(Integer.MAX_VALUE, memory),
              mig ? 100 : (int) (settings.deviceCoreScaling() * 100),
              count,
              Math.max(0, g.numa().orElse(0)),
              g.healthy(),
              settings.operatingMode(),
              mig ? g.migProfiles() : List.of()));
    }
    return List.copyOf(out);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
