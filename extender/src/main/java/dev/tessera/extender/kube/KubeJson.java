package dev.tessera.extender.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.JSON;

/**
 * Hands client-java objects to the extender's Jackson readers ({@link
 * dev.tessera.extender.wire.KubePod}, {@link dev.tessera.extender.wire.KubeNode}), so informer
 * objects and scheduler requests are read by the same code.
 */
final class KubeJson {
  private final JSON gson;
  private final ObjectMapper jackson = new ObjectMapper();

  KubeJson(JSON gson) {
    this.gson = gson;
  }

  /** {@code object} (a client-java model) as the JSON the API server sent. */
  JsonNode tree(Object object) {
    try {
      return jackson.readTree(gson.serialize(object));
    } catch (JsonProcessingException e) {
      // client-java's own serialiser produced it, so it is JSON.
      throw new IllegalStateException("client-java wrote JSON Jackson cannot read", e);
    }
  }
}
