package dev.tessera.sim.bench;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.core.NodeRanking;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.HostPriority;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The extender in-process, without HTTP, over an in-memory copy of a cluster. */
public final class BenchExtender {
  private BenchExtender() {}

  /** An extender serving {@code snapshot} with {@code ranking} and the chart's device defaults. */
  public static Extender serving(ClusterSnapshot snapshot, NodeRanking ranking) {
    var cluster = InMemoryCluster.serving(snapshot);
    Clock clock = Clock.systemUTC();
    return new Extender(
        cluster,
        cluster,
        ranking,
        DeviceConfig.chartDefaults(),
        Engine.Options.DEFAULTS,
        new Reservations(cluster, clock, Duration.ofSeconds(60)),
        new ExtenderMetrics(cluster::snapshot),
        clock);
  }

  /**
   * One scheduling cycle: {@code filter} over the args' nodes, {@code prioritize} over the kept.
   */
  public static List<HostPriority> cycle(Extender e, ExtenderArgs args) {
    ExtenderFilterResult f = e.filter(args);
    return e.prioritize(new ExtenderArgs(args.pod(), null, f.nodeNames()));
  }
}
