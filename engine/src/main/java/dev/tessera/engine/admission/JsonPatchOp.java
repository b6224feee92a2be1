package dev.tessera.engine.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One RFC 6902 operation ({@code add}, {@code replace} or {@code remove}).
 *
 * @param op operation name
 * @param path RFC 6901 pointer, with {@code ~} and {@code /} escaped
 * @param value the new value; empty for {@code remove}
 */
public record JsonPatchOp(String op, String path, Optional<JsonNode> value) {
  public static final String ADD = "add";
  public static final String REPLACE = "replace";
  public static final String REMOVE = "remove";

  public JsonPatchOp {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(value, "value");
    value = value.map(JsonNode::deepCopy);
  }

  /** This operation as a JSON object. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("op", op);
    o.put("path", path);
    value.ifPresent(v -> o.set("value", v.deepCopy()));
    return o;
  }

  /** {@code ops} as the JSON array an AdmissionReview response carries (before base64). */
  public static ArrayNode toJson(List<JsonPatchOp> ops) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    ops.forEach(op -> a.add(op.toJson()));
    return a;
  }
}
