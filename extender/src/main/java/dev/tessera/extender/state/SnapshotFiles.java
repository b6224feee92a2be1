package dev.tessera.extender.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.extender.wire.KubeNode;
import dev.tessera.extender.wire.KubePod;
import dev.tessera.extender.wire.WireException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a directory of Kubernetes manifests ({@code *.yaml}, {@code *.yml}, {@code *.json}; several
 * documents per file; {@code kind: Node}, {@code Pod}, {@code ResourceQuota} and {@code List}s of
 * them) into a cluster the extender can serve without an API server. Nodes get their GPUs from
 * HAMi's register annotations; pods carrying a HAMi allocation are booked on their node. A node or
 * pod that cannot be used is skipped and the reason logged (and returned), so one bad object never
 * stops the server.
 */
public final class SnapshotFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFiles.class);
  private static final ObjectReader YAML =
      new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class);

  /** Reads a file in some other format (no {@code kind}), e.g. the CLI's cluster files. */
  @FunctionalInterface
  public interface OtherFormat {
    /** Nodes and placements in {@code file}, or empty when the file is not in this format. */
    Optional<Loaded> read(Path file);
  }

  /**
   * What a directory holds.
   *
   * @param nodes usable nodes, in file order
   * @param placements allocations given directly (other formats)
   * @param pods pods from manifests, with or without an allocation
   * @param skipped one line per object that was skipped: file, object and reason
   * @param quotas ResourceQuota objects, in file order
   */
  public record Loaded(
      List<Node> nodes,
      List<Placement> placements,
      List<KubePod> pods,
      List<String> skipped,
      List<Quota> quotas) {
    public Loaded {
      nodes = List.copyOf(nodes);
      placements = List.copyOf(placements);
      pods = List.copyOf(pods);
      skipped = List.copyOf(skipped);
      quotas = List.copyOf(quotas);
    }

    /** What a directory without ResourceQuotas holds. */
    public Loaded(
        List<Node> nodes, List<Placement> placements, List<KubePod> pods, List<String> skipped) {
      this(nodes, placements, pods, skipped, List.of());
    }

    /** An in-memory cluster of everything loaded, its quotas included. */
    public InMemoryCluster toCluster() {
      InMemoryCluster cluster = InMemoryCluster.of(nodes, placements, pods);
      for (Quota q : quotas) {
        cluster.quotas().put(q.namespace(), q.name(), q.hard());
      }
      return cluster;
    }
  }

  /**
   * One ResourceQuota manifest.
   *
   * @param hard {@code spec.hard} with scalar values as text
   */
  public record Quota(String namespace, String name, Map<String, String> hard) {
    public Quota {
      hard = Map.copyOf(hard);
    }
  }

  private SnapshotFiles() {}

  /**
   * Loads every manifest in {@code dir} (not recursive, name order).
   *
   * @param gpuResource the GPU count resource, e.g. {@code nvidia.com/gpu}
   * @param clock now, for the handshake check
   * @param other reader for files without {@code kind}
   * @throws UncheckedIOException when the directory cannot be listed
   * @throws IllegalArgumentException naming the file when a file is not YAML/JSON at all
   */
  public static Loaded load(Path dir, String gpuResource, Clock clock, OtherFormat other) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    var nodes = new LinkedHashMap<String, Node>();
    var placements = new ArrayList<Placement>();
    var pods = new ArrayList<KubePod>();
    var skipped = new ArrayList<String>();
    var quotas = new ArrayList<Quota>();
    for (Path file : files) {
      List<JsonNode> docs = documents(file);
      if (docs.stream().noneMatch(d -> d.has("kind"))) {
        Optional<Loaded> o = other.read(file);
        if (o.isPresent()) {
          o.get().nodes().forEach(n -> addNode(nodes, n, file, skipped));
          placements.addAll(o.get().placements());
          continue;
        }
      }
      for (JsonNode doc : docs) {
        collect(file, doc, gpuResource, clock, nodes, pods, quotas, skipped);
      }
    }
    return new Loaded(List.copyOf(nodes.values()), placements, pods, skipped, quotas);
  }

  private static void collect(
      Path file,
      JsonNode doc,
      String gpuResource,
      Clock clock,
      Map<String, Node> nodes,
      List<KubePod> pods,
      List<Quota> quotas,
      List<String> skipped) {
    String kind = doc.path("kind").asText("");
    switch (kind) {
      case "Node" -> {
        KubeNode.Parsed parsed = KubeNode.parse(doc, gpuResource, clock);
        if (parsed instanceof KubeNode.Usable u) {
          addNode(nodes, u.node(), file, skipped);
        } else {
          skip(skipped, file, "node " + parsed.name(), ((KubeNode.Unusable) parsed).reason());
        }
      }
      case "Pod" -> {
        try {
          pods.add(KubePod.fromJson(doc));
        } catch (WireException e) {
          skip(
              skipped,
              file,
              "pod " + doc.path("metadata").path("name").asText("?"),
              e.getMessage());
        }
      }
      case "ResourceQuota" -> quota(file, doc, skipped).ifPresent(quotas::add);
      case "List", "NodeList", "PodList", "ResourceQuotaList" -> {
        for (JsonNode item : doc.path("items")) {
          JsonNode withKind = item;
          if (!item.has("kind") && item.isObject() && !"List".equals(kind)) {
            withKind =
                ((com.fasterxml.jackson.databind.node.ObjectNode) item.deepCopy())
                    .put("kind", kind.substring(0, kind.length() - 4));
          }
          collect(file, withKind, gpuResource, clock, nodes, pods, quotas, skipped);
        }
      }
      default ->
          skip(
              skipped,
              file,
              "document",
              "kind \"" + kind + "\" is not Node, Pod, ResourceQuota or List");
    }
  }

  /**
   * A ResourceQuota's name, namespace ({@code default} when absent) and scalar {@code spec.hard}
   * entries; a {@code limits.*} entry that is not a scalar is left out with a logged reason.
   */
  private static Optional<Quota> quota(Path file, JsonNode doc, List<String> skipped) {
    String name = doc.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      skip(skipped, file, "ResourceQuota", "metadata.name is missing");
      return Optional.empty();
    }
    String namespace = doc.path("metadata").path("namespace").asText("");
    namespace = namespace.isEmpty() ? "default" : namespace;
    var hard = new LinkedHashMap<String, String>();
    var fields = doc.path("spec").path("hard").fields();
    while (fields.hasNext()) {
      var f = fields.next();
      if (f.getValue().isValueNode() && !f.getValue().isNull()) {
        hard.put(f.getKey(), f.getValue().asText());
      } else if (f.getKey().startsWith("limits.")) {
        skip(
            skipped,
            file,
            "ResourceQuota " + namespace + "/" + name + " spec.hard[\"" + f.getKey() + "\"]",
            "not a quantity");
      }
    }
    return Optional.of(new Quota(namespace, name, hard));
  }

  private static void addNode(Map<String, Node> nodes, Node n, Path file, List<String> skipped) {
    if (nodes.putIfAbsent(n.name(), n) != null) {
      skip(skipped, file, "node " + n.name(), "defined twice; the first definition is kept");
    }
  }

  private static void skip(List<String> skipped, Path file, String what, String reason) {
    String line = file + ": " + what + " skipped: " + reason;
    LOG.warn(line);
    skipped.add(line);
  }

  private static List<JsonNode> documents(Path file) {
    try (var it = YAML.<JsonNode>readValues(Files.readString(file))) {
      var out = new ArrayList<JsonNode>();
      while (it.hasNextValue()) {
        JsonNode d = it.nextValue();
        if (d != null && d.isObject()) {
          out.add(d);
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + ": not YAML or JSON: " + e.getMessage(), e);
    }
  }
}
