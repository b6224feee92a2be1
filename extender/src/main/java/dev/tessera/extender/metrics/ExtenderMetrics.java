package dev.tessera.extender.metrics;

import dev.tessera.engine.fit.FitReason;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.extender.wire.KubeNode;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The extender's Prometheus metrics, in a registry of its own (no global state): decision latency
 * per verb, nodes filtered out per reason, bind outcomes, and GPU allocations per node and device
 * read from the current snapshot at scrape time.
 */
public final class ExtenderMetrics {
  /**
   * Latency buckets in seconds: sub-millisecond decisions up to binds held by the allocation gate
   * or the node lock ({@code --allocation-wait}, 20 s by default) and a 30 s {@code httpTimeout}.
   */
  private static final double[] BUCKETS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    20, 30
  };

  /** {@code binds_total} result: the Binding was created. */
  public static final String BIND_BOUND = "bound";

  /** {@code binds_total} result: the chosen node can no longer take the pod. */
  public static final String BIND_REJECTED = "rejected";

  /**
   * {@code binds_total} result: writing to the API server failed, or a wait (allocation gate, node
   * lock) ran out or was cut by shutdown.
   */
  public static final String BIND_FAILED = "failed";

  /** {@code binds_total} result: refused because this replica is not the leader. */
  public static final String BIND_NOT_LEADER = "not_leader";

  /** {@code binds_total} result: refused because the cluster state is not synced yet. */
  public static final String BIND_NOT_SYNCED = "not_synced";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Histogram latency;
  private final Counter filteredOut;
  private final Counter binds;
  private final Counter notSynced;

  /** Registers every metric; {@code snapshot} is read at each scrape for the allocation gauges. */
  public ExtenderMetrics(Supplier<ClusterSnapshot> snapshot) {
    latency =
        Histogram.builder()
            .name("tessera_extender_request_duration_seconds")
            .help(
                "Time to answer one extender request, by verb (filter, prioritize, bind, volcano_<verb>).")
            .labelNames("verb")
            .classicOnly()
            .classicUpperBounds(BUCKETS)
            .register(registry);
    filteredOut =
        Counter.builder()
            .name("tessera_extender_filtered_nodes_total")
            .help("Nodes filter rejected, by reason (HAMi fit reason names).")
            .labelNames("reason")
            .register(registry);
    binds =
        Counter.builder()
            .name("tessera_extender_binds_total")
            .help("Bind requests by result (bound, rejected, failed, not_leader, not_synced).")
            .labelNames("result")
            .register(registry);
    notSynced =
        Counter.builder()
            .name("tessera_extender_not_synced_total")
            .help(
                "Filter and prioritize requests answered without a decision because the cluster"
                    + " state was not synced yet, by verb.")
            .labelNames("verb")
            .register(registry);
    GaugeWithCallback.builder()
        .name("tessera_gpu_memory_allocated_mib")
        .help("Device memory booked per GPU, MiB.")
        .labelNames("node", "device_uuid", "device_type")
        .callback(
            cb -> each(snapshot.get(), (n, d) -> cb.call(d.usedMemMiB(), n, d.id(), d.type())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tessera_gpu_cores_allocated_percent")
        .help("Compute booked per GPU, percent of one GPU.")
        .labelNames("node", "device_uuid", "device_type")
        .callback(cb -> each(snapshot.get(), (n, d) -> cb.call(d.usedCores(), n, d.id(), d.type())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tessera_gpu_shared_count")
        .help("Sharing slots in use per GPU.")
        .labelNames("node", "device_uuid", "device_type")
        .callback(cb -> each(snapshot.get(), (n, d) -> cb.call(d.used(), n, d.id(), d.type())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tessera_node_gpu_pods")
        .help("GPU pods booked per node (running and assumed).")
        .labelNames("node")
        .callback(
            cb -> {
              for (var s : snapshot.get().nodes()) {
                cb.call(s.pods().size(), s.node().name());
              }
            })
        .register(registry);
  }

  /**
   * The registry {@code /metrics} serves, so other parts of the extender (the cluster state) add
   * their metrics to the same page.
   */
  public PrometheusRegistry registry() {
    return registry;
  }

  private interface DeviceVisitor {
    void visit(String node, DeviceUsage device);
  }

  private static void each(ClusterSnapshot snapshot, DeviceVisitor visitor) {
    for (var s : snapshot.nodes()) {
      for (DeviceUsage d : s.usage()) {
        visitor.visit(s.node().name(), d);
      }
    }
  }

  /** Records one request's latency. */
  public void observe(String verb, long nanos) {
    latency.labelValues(verb).observe(nanos / 1e9);
  }

  /**
   * Counts one filtered-out node under the fit reason names its reason mentions (a bounded label
   * set: HAMi's reason names, {@code node unregistered}, {@code policy veto}, else {@code other}).
   */
  public void filteredOut(String reason) {
    boolean any = false;
    for (FitReason r : FitReason.values()) {
      if (reason.contains(r.name())) {
        filteredOut.labelValues(r.name()).inc();
        any = true;
      }
    }
    if (any) {
      return;
    }
    String label;
    if (reason.startsWith(NodeEvaluator.NODE_INSUFFICIENT_DEVICE)) {
      label = NodeEvaluator.NODE_INSUFFICIENT_DEVICE;
    } else if (reason.startsWith(KubeNode.UNREGISTERED)) {
      label = KubeNode.UNREGISTERED;
    } else if (reason.startsWith("policy ")) {
      label = "policy veto";
    } else if (reason.startsWith("node unhealthy")) {
      label = "node unhealthy";
    } else {
      label = "other";
    }
    filteredOut.labelValues(label).inc();
  }

  /** Counts one bind by result: one of the {@code BIND_*} constants. */
  public void bind(String result) {
    binds.labelValues(result).inc();
  }

  /** Counts one filter or prioritize request answered before the cluster state synced. */
  public void notSynced(String verb) {
    notSynced.labelValues(verb).inc();
  }

  /** The content type of {@link #scrape}. */
  public String contentType() {
    return writer.getContentType();
  }

  /** Every metric in the Prometheus text format. */
  public byte[] scrape() {
    var out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
