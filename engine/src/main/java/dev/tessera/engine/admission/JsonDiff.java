package dev.tessera.engine.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes an RFC 6902 patch that turns one JSON document into another, as the webhook returns the
 * difference between the submitted and the mutated pod. Objects are compared key by key and arrays
 * index by index (no move detection), which is what a mutation that only adds fields and appends
 * list entries needs.
 */
public final class JsonDiff {
  private JsonDiff() {}

  /** Operations that, applied in order to {@code from}, yield {@code to}; empty when equal. */
  public static List<JsonPatchOp> diff(JsonNode from, JsonNode to) {
    var ops = new ArrayList<JsonPatchOp>();
    diff("", from, to, ops);
    return List.copyOf(ops);
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<JsonPatchOp> ops) {
    if (a.equals(b)) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!b.has(k)) {
          ops.add(new JsonPatchOp(JsonPatchOp.REMOVE, path + "/" + escape(k), Optional.empty()));
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
        var e = it.next();
        String p = path + "/" + escape(e.getKey());
        JsonNode old = a.get(e.getKey());
        if (old == null) {
          ops.add(new JsonPatchOp(JsonPatchOp.ADD, p, Optional.of(e.getValue())));
        } else {
          diff(p, old, e.getValue(), ops);
        }
      }
      return;
    }
    if (a.isArray() && b.isArray()) {
      int common = Math.min(a.size(), b.size());
      for (int i = 0; i < common; i++) {
        diff(path + "/" + i, a.get(i), b.get(i), ops);
      }
      // Remove from the end first so earlier indices stay valid.
      for (int i = a.size() - 1; i >= b.size(); i--) {
        ops.add(new JsonPatchOp(JsonPatchOp.REMOVE, path + "/" + i, Optional.empty()));
      }
      for (int i = a.size(); i < b.size(); i++) {
        ops.add(new JsonPatchOp(JsonPatchOp.ADD, path + "/" + i, Optional.of(b.get(i))));
      }
      return;
    }
    ops.add(new JsonPatchOp(JsonPatchOp.REPLACE, path, Optional.of(b)));
  }

  /** RFC 6901 escaping of one reference token: {@code ~} → {@code ~0}, {@code /} → {@code ~1}. */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
