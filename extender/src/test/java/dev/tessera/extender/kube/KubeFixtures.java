package dev.tessera.extender.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.extender.testing.FakeApiServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Node and pod objects for the fake API server, and small test utilities. */
final class KubeFixtures {
  private KubeFixtures() {}

  static final ObjectMapper JSON = new ObjectMapper();

  /** GPUs named {@code GPU-<node>-<i>}, 16 GiB, 100 cores, 10 slots each. */
  static List<GpuDevice> gpus(String node, int count) {
    var out = new ArrayList<GpuDevice>();
    for (int i = 0; i < count; i++) {
      out.add(GpuDevice.of("GPU-" + node + "-" + i, i, "NVIDIA A100", 16384, 100, 10, 0));
    }
    return out;
  }

  static String node(String name, Map<String, String> annotations) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("apiVersion", "v1").put("kind", "Node");
    ObjectNode meta = n.putObject("metadata").put("name", name);
    meta.putObject("labels").put("kubernetes.io/hostname", name);
    ObjectNode ann = meta.putObject("annotations");
    annotations.forEach(ann::put);
    n.putObject("status")
        .putObject("allocatable")
        .put("cpu", "16")
        .put("memory", "64Gi")
        .put("nvidia.com/gpu", "40");
    return n.toString();
  }

  static String gpuNode(String name, int gpus) {
    return node(
        name, Map.of(Annotations.NODE_REGISTER, NodeRegisterCodec.encode(gpus(name, gpus))));
  }

  static String pod(String ns, String name, Map<String, String> annotations) {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = p.putObject("metadata").put("name", name).put("namespace", ns);
    ObjectNode ann = meta.putObject("annotations");
    annotations.forEach(ann::put);
    ObjectNode c = p.putObject("spec").putArray("containers").addObject();
    c.put("name", "main").put("image", "cuda");
    c.putObject("resources").putObject("limits").put("nvidia.com/gpu", "1");
    p.putObject("status").put("phase", "Pending");
    return p.toString();
  }

  /** The informer state on {@code server}, started and synced. */
  static InformerClusterState startedState(FakeApiServer server, Clock clock) throws Exception {
    var s = new InformerClusterState(server.client(), "nvidia.com/gpu", clock);
    s.start();
    s.awaitReady(Duration.ofSeconds(30));
    return s;
  }

  /**
   * An extender (HAMi ranking, chart defaults) deciding on {@code state}, binding with {@code
   * binder}.
   */
  static dev.tessera.extender.core.Extender extender(
      dev.tessera.extender.state.ClusterState state,
      dev.tessera.extender.state.Binder binder,
      dev.tessera.extender.state.Reservations reservations,
      Clock clock) {
    var options = dev.tessera.engine.decision.Engine.Options.DEFAULTS;
    return new dev.tessera.extender.core.Extender(
        state,
        binder,
        new dev.tessera.extender.core.EngineRanking(options),
        dev.tessera.engine.config.DeviceConfig.chartDefaults(),
        options,
        reservations,
        new dev.tessera.extender.metrics.ExtenderMetrics(state::snapshot),
        clock);
  }

  /** A pending pod asking for one shared GPU with {@code memMiB} and {@code cores} percent. */
  static String gpuPod(String ns, String name, int memMiB, int cores) {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("apiVersion", "v1").put("kind", "Pod");
    p.putObject("metadata").put("name", name).put("namespace", ns);
    ObjectNode c =
        p.putObject("spec")
            .put("schedulerName", "hami-scheduler")
            .putArray("containers")
            .addObject();
    c.put("name", "main").put("image", "cuda");
    c.putObject("resources")
        .putObject("limits")
        .put("nvidia.com/gpu", "1")
        .put("nvidia.com/gpumem", Integer.toString(memMiB))
        .put("nvidia.com/gpucores", Integer.toString(cores));
    p.putObject("status").put("phase", "Pending");
    return p.toString();
  }

  static void createNodes(FakeApiServer server, int count, int gpusEach) {
    for (int i = 0; i < count; i++) {
      server.create("v1/nodes", gpuNode(String.format("node-%03d", i), gpusEach));
    }
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.sleep(10);
    }
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
