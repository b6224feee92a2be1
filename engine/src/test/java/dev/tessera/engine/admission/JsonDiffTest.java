package dev.tessera.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonDiffTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|{}",
        "{\"a\":1}|{\"a\":2}",
        "{\"a\":1}|{}",
        "{}|{\"a/b\":{\"c~d\":[1]}}",
        "{\"l\":[1,2,3]}|{\"l\":[1]}",
        "{\"l\":[1]}|{\"l\":[1,{\"x\":2},3]}",
        "{\"l\":[{\"a\":1},2]}|{\"l\":[{\"a\":1,\"b\":2},5]}",
        "{\"a\":[1]}|{\"a\":{\"b\":1}}",
        "[1]|{}",
      })
  void patchTurnsSourceIntoTarget(String from, String to) throws Exception {
    JsonNode a = JSON.readTree(from);
    JsonNode b = JSON.readTree(to);
    List<JsonPatchOp> patch = JsonDiff.diff(a, b);
    assertThat(apply(a, patch)).isEqualTo(b);
    assertThat(patch.isEmpty()).isEqualTo(a.equals(b));
  }

  @org.junit.jupiter.api.Test
  void keysAreEscapedPerRfc6901() throws Exception {
    var patch =
        JsonDiff.diff(
            JSON.readTree("{\"limits\":{}}"),
            JSON.readTree("{\"limits\":{\"nvidia.com/gpu~x\":\"1\"}}"));
    assertThat(patch)
        .containsExactly(
            new JsonPatchOp(
                "add",
                "/limits/nvidia.com~1gpu~0x",
                java.util.Optional.of(JSON.readTree("\"1\""))));
    assertThat(JsonPatchOp.toJson(patch).toString())
        .isEqualTo("[{\"op\":\"add\",\"path\":\"/limits/nvidia.com~1gpu~0x\",\"value\":\"1\"}]");
  }

  /** Minimal RFC 6902 applier for add/replace/remove, to check the generator independently. */
  static JsonNode apply(JsonNode doc, List<JsonPatchOp> patch) {
    JsonNode root = doc.deepCopy();
    for (JsonPatchOp op : patch) {
      if (op.path().isEmpty()) {
        root = op.value().orElseThrow().deepCopy();
        continue;
      }
      String[] tokens = op.path().substring(1).split("/", -1);
      JsonNode parent = root;
      for (int i = 0; i < tokens.length - 1; i++) {
        parent = step(parent, unescape(tokens[i]));
      }
      String last = unescape(tokens[tokens.length - 1]);
      if (parent instanceof ObjectNode o) {
        switch (op.op()) {
          case "remove" -> o.remove(last);
          default -> o.set(last, op.value().orElseThrow().deepCopy());
        }
      } else {
        ArrayNode arr = (ArrayNode) parent;
        int idx = last.equals("-") ? arr.size() : Integer.parseInt(last);
        switch (op.op()) {
          case "remove" -> arr.remove(idx);
          case "add" -> arr.insert(idx, op.value().orElseThrow().deepCopy());
          default -> arr.set(idx, op.value().orElseThrow().deepCopy());
        }
      }
    }
    return root;
  }

  private static JsonNode step(JsonNode n, String token) {
    return n.isArray() ? n.get(Integer.parseInt(token)) : n.get(token);
  }

  private static String unescape(String t) {
    return t.replace("~1", "/").replace("~0", "~");
  }
}
