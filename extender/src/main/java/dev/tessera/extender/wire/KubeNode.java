package dev.tessera.extender.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.admission.Quantity;
import dev.tessera.engine.admission.QuantityException;
import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.fit.DeviceFit;
import dev.tessera.engine.health.Handshake;
import dev.tessera.engine.model.Node;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a v1 Node object into the engine's {@link Node}: GPUs and link scores from HAMi's register
 * annotations (§3.1–3.2, {@link NodeRegisterCodec}), cordoned GPUs (§3.5), allocatable CPU and
 * memory. A node the engine cannot use comes back as {@link Unusable} with the reason, never as an
 * exception, so one bad node never stops a whole request.
 */
public final class KubeNode {
  private KubeNode() {}

  /** The outcome of reading one Node object. */
  public sealed interface Parsed permits Usable, Unusable {
    String name();
  }

  /**
   * A node with registered GPUs.
   *
   * @param node the engine's node
   * @param json the object as given, handed back by filter when the request carried Node objects
   */
  public record Usable(Node node, JsonNode json) implements Parsed {
    @Override
    public String name() {
      return node.name();
    }
  }

  /**
   * A node the engine cannot place on.
   *
   * @param name node name ({@code ""} when even that is missing)
   * @param reason why, e.g. HAMi's {@code node unregistered} or the annotation decode error
   */
  public record Unusable(String name, String reason) implements Parsed {}

  /** HAMi's reason for a node without (decodable) GPU registration. */
  public static final String UNREGISTERED = "node unregistered";

  /**
   * Reads {@code json} (a v1 Node).
   *
   * @param gpuResource the count resource name, e.g. {@code nvidia.com/gpu}, read from {@code
   *     status.allocatable} for the handshake check
   * @param clock now and the zone of handshake stamps
   */
  public static Parsed parse(JsonNode json, String gpuResource, Clock clock) {
    if (json == null || !json.isObject()) {
      return new Unusable("", "expected a v1 Node object, got " + KubePod.kind(json));
    }
    JsonNode meta = json.path("metadata");
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      return new Unusable("", "field metadata.name is required");
    }
    Map<String, String> annotations;
    Map<String, String> labels;
    try {
      annotations = KubePod.strings(meta.path("annotations"), "metadata.annotations");
      labels = KubePod.strings(meta.path("labels"), "metadata.labels");
    } catch (WireException e) {
      return new Unusable(name, e.getMessage());
    }
    if (!annotations.containsKey(Annotations.NODE_REGISTER)) {
      return new Unusable(name, UNREGISTERED);
    }
    NodeRegisterCodec.NodeDevices devices;
    try {
      devices = NodeRegisterCodec.nodeDevices(annotations);
    } catch (AnnotationDecodeException e) {
      return new Unusable(name, UNREGISTERED + ": " + e.getMessage());
    }
    JsonNode allocatable = json.path("status").path("allocatable");
    long gpus = quantity(allocatable, gpuResource, BigDecimal.ONE);
    var handshake =
        Handshake.check(
            Optional.ofNullable(annotations.get(Annotations.NODE_HANDSHAKE)), gpus, clock);
    if (!handshake.healthy()) {
      return new Unusable(
          name,
          "node unhealthy: handshake "
              + Annotations.NODE_HANDSHAKE
              + " expired and status.allocatable["
              + gpuResource
              + "] is 0");
    }
    var node =
        new Node(
            name,
            labels,
            quantity(allocatable, "cpu", BigDecimal.valueOf(1000)),
            quantity(allocatable, "memory", BigDecimal.ONE) / (1L << 20),
            devices.devices(),
            devices.pairScores(),
            DeviceFit.parseCordon(annotations.getOrDefault(Annotations.DEVICE_CORDON, "")));
    return new Usable(node, json);
  }

  /**
   * {@code map[key]} as a Kubernetes quantity times {@code scale}, truncated; 0 when absent/bad.
   */
  private static long quantity(JsonNode map, String key, BigDecimal scale) {
    JsonNode v = map.get(key);
    if (v == null || !(v.isTextual() || v.isNumber())) {
      return 0;
    }
    try {
      return Quantity.parse(key, v.asText()).value().multiply(scale).longValue();
    } catch (QuantityException e) {
      // Capacity figures only feed features; the GPUs come from the register annotation.
      return 0;
    }
  }
}
