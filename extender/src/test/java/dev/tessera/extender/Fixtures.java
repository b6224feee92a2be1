package dev.tessera.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.Node;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.core.NodeRanking;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.wire.KubeNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Shared test fixtures: an extender over an in-memory cluster, and the captured wire bodies. */
public final class Fixtures {
  public static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
  public static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** An extender with HAMi's chart defaults over {@code cluster}. */
  public static Extender extender(InMemoryCluster cluster) {
    return extender(cluster, new EngineRanking(Engine.Options.DEFAULTS));
  }

  public static Extender extender(InMemoryCluster cluster, NodeRanking ranking) {
    return new Extender(
        cluster,
        cluster,
        ranking,
        DeviceConfig.chartDefaults(),
        Engine.Options.DEFAULTS,
        new Reservations(cluster, CLOCK, Duration.ofSeconds(30)),
        new ExtenderMetrics(cluster::snapshot),
        CLOCK);
  }

  /** The engine nodes of the captured example's Node objects (all must parse). */
  public static List<Node> exampleNodes(Path wireDir) {
    JsonNode root = read(wireDir.resolve("example-pod-and-nodes.json"));
    var out = new ArrayList<Node>();
    for (JsonNode n : root.path("nodes")) {
      var parsed = KubeNode.parse(n, "nvidia.com/gpu", CLOCK);
      out.add(((KubeNode.Usable) parsed).node());
    }
    return out;
  }

  public static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} serialised on the wire and read back as a tree. */
  public static JsonNode read(Object value, dev.tessera.extender.wire.WireJson wire) {
    try {
      return JSON.readTree(wire.write(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code body} as a JSON tree. */
  public static JsonNode read(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
