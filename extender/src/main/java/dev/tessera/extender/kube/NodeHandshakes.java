package dev.tessera.extender.kube;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.health.NodeHealth;
import dev.tessera.engine.health.NodeHealthMemory;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.util.PatchUtils;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAMi's node registration round (hami-compat §3.3), run by the leader every 15 s: the engine's
 * {@link NodeHealth} check per registered node, then its verdict applied. A fresh {@code
 * Requesting_<time>} stamp is written to {@code hami.io/node-handshake}; an unhealthy node loses
 * that annotation and its NVIDIA devices leave the {@link InformerClusterState} until a later round
 * finds it healthy. Followers do nothing, as in HAMi, where only the leader registers nodes.
 */
public final class NodeHandshakes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHandshakes.class);

  /** HAMi's registration period. */
  public static final Duration PERIOD = Duration.ofSeconds(15);

  private final ApiClient client;
  private final CoreV1Api api;
  private final InformerClusterState state;
  private final BooleanSupplier leading;
  private final String gpuResource;
  private final Clock clock;
  private final PeriodicRounds loop;

  // Only touched by round(), which is serialised.
  private final Map<String, NodeHealthMemory> memory = new HashMap<>();
  private final Set<String> unhealthy = new HashSet<>();

  /**
   * @param leading true while this replica may write (the Lease holder, or always without election)
   * @param gpuResource the count resource read from {@code status.allocatable}
   * @param clock now, and the zone the stamps are written and read in (HAMi: the local zone)
   */
  public NodeHandshakes(
      ApiClient client,
      InformerClusterState state,
      BooleanSupplier leading,
      String gpuResource,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.api = new CoreV1Api(client);
    this.state = Objects.requireNonNull(state, "state");
    this.leading = Objects.requireNonNull(leading, "leading");
    this.gpuResource = Objects.requireNonNull(gpuResource, "gpuResource");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.loop =
        new PeriodicRounds(
            "node-handshakes", LOG, "node handshake round failed", this::round, PERIOD);
  }

  /** Runs a round every {@link #PERIOD}. */
  public void start() {
    loop.start();
  }

  @Override
  public void close() {
    loop.close();
  }

  /** One registration round over the nodes the informer has; a no-op unless leading. */
  public synchronized void round() {
    if (!leading.getAsBoolean()) {
      return;
    }
    var seen = new HashSet<String>();
    for (V1Node n : state.nodeObjects()) {
      String name = n.getMetadata().getName();
      Map<String, String> ann =
          n.getMetadata().getAnnotations() == null ? Map.of() : n.getMetadata().getAnnotations();
      if (!ann.containsKey(Annotations.NODE_REGISTER)) {
        continue;
      }
      seen.add(name);
      NodeHealth.Transition t =
          NodeHealth.check(
              memory.getOrDefault(name, NodeHealthMemory.NONE),
              allocatable(n),
              Optional.ofNullable(ann.get(Annotations.NODE_HANDSHAKE)),
              Optional.ofNullable(ann.get(Annotations.NODE_REGISTER)),
              clock);
      memory.put(name, t.next());
      if (t.deleteHandshake()) {
        if (unhealthy.add(name)) {
          LOG.warn(
              "node {}: unhealthy (no {} allocatable); its GPUs are dropped", name, gpuResource);
        }
        if (ann.containsKey(Annotations.NODE_HANDSHAKE)) {
          patch(name, "null");
        }
      } else {
        unhealthy.remove(name);
        t.handshakeToWrite().ifPresent(v -> patch(name, "\"" + v + "\""));
      }
    }
    memory.keySet().retainAll(seen);
    unhealthy.retainAll(seen);
    state.setUnhealthy(Set.copyOf(unhealthy));
  }

  private long allocatable(V1Node n) {
    if (n.getStatus() == null || n.getStatus().getAllocatable() == null) {
      return 0;
    }
    Quantity q = n.getStatus().getAllocatable().get(gpuResource);
    return q == null ? 0 : q.getNumber().longValue();
  }

  private void patch(String node, String jsonValue) {
    String body =
        "{\"metadata\":{\"annotations\":{\""
            + Annotations.NODE_HANDSHAKE
            + "\":"
            + jsonValue
            + "}}}";
    try {
      PatchUtils.patch(
          V1Node.class,
          () -> api.patchNode(node, new V1Patch(body)).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
    } catch (ApiException e) {
      LOG.warn(
          "node {}: writing {} failed: HTTP {}", node, Annotations.NODE_HANDSHAKE, e.getCode());
    }
  }
}
