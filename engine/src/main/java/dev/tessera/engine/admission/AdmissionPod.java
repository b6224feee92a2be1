package dev.tessera.engine.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of a Kubernetes Pod the webhook decides on. Empty strings stand for absent fields, as
 * in the Go API types.
 *
 * @param name {@code metadata.name}
 * @param namespace {@code metadata.namespace}
 * @param schedulerName {@code spec.schedulerName}
 * @param nodeName {@code spec.nodeName}
 * @param runtimeClassName {@code spec.runtimeClassName}
 * @param initContainers {@code spec.initContainers}, in spec order
 * @param containers {@code spec.containers}, in spec order
 */
public record AdmissionPod(
    String name,
    String namespace,
    String schedulerName,
    String nodeName,
    String runtimeClassName,
    List<AdmissionContainer> initContainers,
    List<AdmissionContainer> containers) {

  public AdmissionPod {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(schedulerName, "schedulerName");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(runtimeClassName, "runtimeClassName");
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
  }

  /**
   * Reads a Pod in its Kubernetes JSON form ({@code metadata}, {@code spec}).
   *
   * @throws PodDecodeException when a field has the wrong JSON type
   */
  public static AdmissionPod fromJson(JsonNode pod) {
    if (pod == null || !pod.isObject()) {
      throw new PodDecodeException("(root)", "expected a Pod object");
    }
    JsonNode meta = object(pod, "metadata", "metadata");
    JsonNode spec = object(pod, "spec", "spec");
    return new AdmissionPod(
        text(meta, "name", "metadata.name"),
        text(meta, "namespace", "metadata.namespace"),
        text(spec, "schedulerName", "spec.schedulerName"),
        text(spec, "nodeName", "spec.nodeName"),
        text(spec, "runtimeClassName", "spec.runtimeClassName"),
        containers(spec, "initContainers"),
        containers(spec, "containers"));
  }

  private static List<AdmissionContainer> containers(JsonNode spec, String key) {
    JsonNode list = spec.get(key);
    var out = new ArrayList<AdmissionContainer>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new PodDecodeException("spec." + key, "expected a list, got " + list.getNodeType());
    }
    for (int i = 0; i < list.size(); i++) {
      String at = "spec." + key + "[" + i + "]";
      JsonNode c = list.get(i);
      if (!c.isObject()) {
        throw new PodDecodeException(at, "expected a container object");
      }
      JsonNode res = object(c, "resources", at + ".resources");
      JsonNode sc = object(c, "securityContext", at + ".securityContext");
      JsonNode priv = sc.get("privileged");
      if (priv != null && !priv.isNull() && !priv.isBoolean()) {
        throw new PodDecodeException(at + ".securityContext.privileged", "expected a boolean");
      }
      out.add(
          new AdmissionContainer(
              text(c, "name", at + ".name"),
              quantities(res, "limits", at + ".resources.limits"),
              quantities(res, "requests", at + ".resources.requests"),
              priv != null && priv.asBoolean(false)));
    }
    return out;
  }

  private static Map<String, String> quantities(JsonNode res, String key, String at) {
    JsonNode m = object(res, key, at);
    var out = new LinkedHashMap<String, String>();
    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode v = e.getValue();
      // Kubernetes' Quantity JSON decoder takes bare numbers as well as strings.
      if (v.isTextual() || v.isNumber()) {
        try {
          // Go's Pod decoding rejects any malformed quantity, GPU or not.
          Quantity.parse(e.getKey(), v.asText());
        } catch (QuantityException bad) {
          throw new PodDecodeException(at + "[" + e.getKey() + "]", bad.getMessage());
        }
        out.put(e.getKey(), v.asText());
      } else {
        throw new PodDecodeException(
            at + "[" + e.getKey() + "]", "expected a quantity string, got " + v.getNodeType());
      }
    }
    return out;
  }

  private static JsonNode object(JsonNode parent, String key, String at) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    if (!n.isObject()) {
      throw new PodDecodeException(at, "expected an object, got " + n.getNodeType());
    }
    return n;
  }

  private static String text(JsonNode parent, String key, String at) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw new PodDecodeException(at, "expected a string, got " + n.getNodeType());
    }
    return n.asText();
  }
}
