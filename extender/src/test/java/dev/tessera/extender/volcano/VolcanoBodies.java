package dev.tessera.extender.volcano;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.model.Node;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.wire.KubeNode;
import dev.tessera.extender.wire.KubePod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden Volcano request bodies in {@code src/test/resources/volcano} (see the README there for
 * the Go structs they follow) and the cluster they are asked about.
 */
final class VolcanoBodies {
  private VolcanoBodies() {}

  /** The bytes of {@code volcano/<name>}. */
  static byte[] bytes(String name) {
    try (InputStream in = VolcanoBodies.class.getResourceAsStream("/volcano/" + name)) {
      if (in == null) {
        throw new IllegalStateException("test resource volcano/" + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String name) {
    return Fixtures.read(bytes(name));
  }

  /** A fresh cluster state: the four known nodes, {@code old-c} and {@code old-d} running. */
  static InMemoryCluster cluster() {
    var nodes = new ArrayList<Node>();
    for (JsonNode n : json("cluster-nodes.json")) {
      nodes.add(((KubeNode.Usable) KubeNode.parse(n, "nvidia.com/gpu", Fixtures.CLOCK)).node());
    }
    var pods = new ArrayList<KubePod>();
    for (JsonNode p : json("running-pods.json")) {
      pods.add(KubePod.fromJson(p));
    }
    return InMemoryCluster.of(nodes, List.of(), pods);
  }
}
