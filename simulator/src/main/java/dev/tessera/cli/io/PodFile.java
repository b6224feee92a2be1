package dev.tessera.cli.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a Kubernetes Pod manifest the scheduler reads: identity, annotations and each
 * container's resource limits and requests (quantity strings, as written).
 */
public record PodFile(
    String namespace,
    String name,
    String uid,
    Map<String, String> annotations,
    List<Container> initContainers,
    List<Container> containers) {

  /** One container's name and resources. */
  public record Container(String name, Map<String, String> limits, Map<String, String> requests) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Reads a Pod manifest (YAML or JSON); problems name the file and field. */
  public static PodFile load(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InputFileException(file, "", "file not found");
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new InputFileException(
          file, loc == null ? "" : loc.getLineNr() + ":" + loc.getColumnNr(), e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InputFileException(file, "", "cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InputFileException(file, "", "expected a Pod manifest (a YAML/JSON object)");
    }
    if (root.has("kind") && !"Pod".equals(root.path("kind").asText())) {
      throw new InputFileException(
          file, "", "field kind: expected Pod, got " + root.path("kind").asText());
    }
    JsonNode meta = root.path("metadata");
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      throw new InputFileException(file, "", "field metadata.name: required");
    }
    var annotations = strings(file, meta.path("annotations"), "metadata.annotations");
    JsonNode spec = root.path("spec");
    var containers = containers(file, spec.path("containers"), "spec.containers");
    if (containers.isEmpty()) {
      throw new InputFileException(file, "", "field spec.containers: expected at least one container");
    }
    return new PodFile(
        meta.path("namespace").asText("default"),
        name,
        meta.path("uid").asText(""),
        annotations,
        containers(file, spec.path("initContainers"), "spec.initContainers"),
        containers);
  }

  private static List<Container> containers(Path file, JsonNode list, String at) {
    var out = new ArrayList<Container>();
    if (list.isMissingNode() || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new InputFileException(file, "", "field " + at + ": expected a list of containers");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode c = list.get(i);
      String cat = at + "[" + i + "]";
      String cname = c.path("name").asText("");
      if (cname.isEmpty()) {
        throw new InputFileException(file, "", "field " + cat + ".name: required");
      }
      JsonNode res = c.path("resources");
      out.add(
          new Container(
              cname,
              strings(file, res.path("limits"), cat + ".resources.limits"),
              strings(file, res.path("requests"), cat + ".resources.requests")));
    }
    return out;
  }

  private static Map<String, String> strings(Path file, JsonNode obj, String at) {
    var out = new LinkedHashMap<String, String>();
    if (obj.isMissingNode() || obj.isNull()) {
      return out;
    }
    if (!obj.isObject()) {
      throw new InputFileException(file, "", "field " + at + ": expected a map of strings");
    }
    var it = obj.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().isValueNode()) {
        throw new InputFileException(
            file, "", "field " + at + "." + e.getKey() + ": expected a scalar value");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
