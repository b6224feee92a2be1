package dev.tessera.engine.codec;

import static dev.tessera.engine.codec.CodecJson.migProfile;
import static dev.tessera.engine.codec.CodecJson.registeredList;
import static dev.tessera.engine.codec.CodecJson.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.testing.HamiVectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class NodeAnnotationCodecConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> vectors() {
    return HamiVectors.tests(
        dev.tessera.engine.testing.VectorKinds.CODEC,
        "node-annotation-codec.json",
        Map.of(
            "decode_node_devices_legacy", (in, ex, c) -> legacyDecode(in, ex),
            "encode_node_devices_legacy",
                (in, ex, c) ->
                    assertThat(LegacyNodeRegisterCodec.encode(registeredList(in.get("devices"))))
                        .isEqualTo(ex.get("encoded").asText()),
            "roundtrip_node_devices_legacy",
                (in, ex, c) -> {
                  var devices = registeredList(in.get("devices"));
                  var back =
                      LegacyNodeRegisterCodec.decode(LegacyNodeRegisterCodec.encode(devices));
                  assertThat(back).isEqualTo(devices);
                  assertDevices(back, ex.get("devices"));
                },
            "unmarshal_node_devices_json",
                (in, ex, c) ->
                    assertDevices(
                        NodeRegisterCodec.decode(in.get("encoded").asText()), ex.get("devices")),
            "marshal_node_devices_json",
                (in, ex, c) -> {
                  String encoded = NodeRegisterCodec.encode(registeredList(in.get("devices")));
                  JsonNode want =
                      withoutZeroValues(JSON.readTree(ex.get("json_semantically_equal").asText()));
                  assertThat(JSON.readTree(encoded)).isEqualTo(want);
                },
            "marshal_mig_profile_json",
                (in, ex, c) ->
                    assertThat(NodeRegisterCodec.encodeMigProfile(migProfile(in.get("profile"))))
                        .isEqualTo(ex.get("json_exact").asText()),
            "nvidia_get_node_devices", (in, ex, c) -> getNodeDevices(in, ex),
            "decode_pair_scores",
                (in, ex, c) -> {
                  var want = new HashMap<String, Map<String, Integer>>();
                  for (JsonNode e : ex.get("scores")) {
                    var row = new HashMap<String, Integer>();
                    e.get("score")
                        .properties()
                        .forEach(f -> row.put(f.getKey(), f.getValue().asInt()));
                    want.put(e.get("uuid").asText(), row);
                  }
                  assertThat(PairScoresCodec.decode(in.get("encoded").asText()))
                      .isEqualTo(new PairScores(want));
                }));
  }

  private static void legacyDecode(JsonNode in, JsonNode ex) {
    String encoded = in.get("encoded").asText();
    if (ex.path("error").asBoolean(false)) {
      var e =
          catchThrowableOfType(
              AnnotationDecodeException.class, () -> LegacyNodeRegisterCodec.decode(encoded));
      assertThat(e).as("decode error").isNotNull();
      if (ex.has("error_message")) {
        assertThat(e.hamiText()).isEqualTo(ex.get("error_message").asText());
      }
      return;
    }
    assertDevices(LegacyNodeRegisterCodec.decode(encoded), ex.get("devices"));
  }

  private static void getNodeDevices(JsonNode in, JsonNode ex) {
    Map<String, String> annotations = strings(in.get("annotations"));
    if (ex.path("error").asBoolean(false)) {
      var e =
          catchThrowableOfType(
              AnnotationDecodeException.class, () -> NodeRegisterCodec.nodeDevices(annotations));
      assertThat(e).as("decode error").isNotNull();
      if (ex.has("error_message")) {
        assertThat(e.hamiText()).isEqualTo(ex.get("error_message").asText());
      }
      return;
    }
    var node = NodeRegisterCodec.nodeDevices(annotations);
    if (ex.has("devices")) {
      assertDevices(node.devices(), ex.get("devices"));
    }
    if (ex.has("device_count")) {
      assertThat(node.devices()).hasSize(ex.get("device_count").asInt());
    }
    if (ex.has("device0_mig_profile_names")) {
      var names = new ArrayList<String>();
      ex.get("device0_mig_profile_names").forEach(n -> names.add(n.asText()));
      assertThat(node.devices().get(0).migProfiles())
          .extracting(p -> p.name())
          .containsExactlyElementsOf(names);
    }
    if (ex.has("device0_mig_profile0_placements")) {
      var want = new ArrayList<MigPlacement>();
      ex.get("device0_mig_profile0_placements").forEach(p -> want.add(CodecJson.placement(p)));
      assertThat(node.devices().get(0).migProfiles().get(0).placements())
          .containsExactlyElementsOf(want);
    }
    if (ex.has("device0_pair_scores")) {
      String id = node.devices().get(0).uuid();
      ex.get("device0_pair_scores")
          .properties()
          .forEach(
              f ->
                  assertThat(node.pairScores().score(id, f.getKey()))
                      .isEqualTo(f.getValue().asInt()));
      assertThat(node.pairScores().scores().get(id)).hasSize(ex.get("device0_pair_scores").size());
    }
  }

  /** Checks each device field that the expectation states (absent key = not asserted). */
  static void assertDevices(List<GpuDevice> actual, JsonNode expected) {
    assertThat(actual).hasSize(expected.size());
    for (int i = 0; i < actual.size(); i++) {
      GpuDevice d = actual.get(i);
      JsonNode e = expected.get(i);
      var soft = new HashMap<String, Object>();
      var want = new HashMap<String, Object>();
      check(soft, want, e, "id", d.uuid(), e.path("id").asText());
      check(soft, want, e, "index", d.index(), e.path("index").asInt());
      check(soft, want, e, "count", d.splitCount(), e.path("count").asInt());
      check(soft, want, e, "devmem", d.memoryMiB(), e.path("devmem").asInt());
      check(soft, want, e, "devcore", d.cores(), e.path("devcore").asInt());
      check(soft, want, e, "type", d.type(), e.path("type").asText());
      check(soft, want, e, "numa", d.numa(), e.path("numa").asInt());
      check(soft, want, e, "health", d.healthy(), e.path("health").asBoolean());
      check(soft, want, e, "mode", d.mode(), e.path("mode").asText());
      assertThat(soft).as("device " + i).isEqualTo(want);
    }
  }

  private static void check(
      Map<String, Object> got, Map<String, Object> want, JsonNode e, String k, Object a, Object w) {
    if (e.has(k)) {
      got.put(k, a);
      want.put(k, w);
    }
  }

  /** Drops zero-valued keys, which Go's omitempty never writes. */
  private static JsonNode withoutZeroValues(JsonNode n) {
    if (n.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      n.forEach(x -> out.add(withoutZeroValues(x)));
      return out;
    }
    if (n.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      n.properties()
          .forEach(
              f -> {
                JsonNode v = f.getValue();
                boolean zero =
                    (v.isNumber() && v.asLong() == 0)
                        || (v.isBoolean() && !v.asBoolean())
                        || (v.isTextual() && v.asText().isEmpty())
                        || v.isNull();
                if (!zero) {
                  out.set(f.getKey(), withoutZeroValues(v));
                }
              });
      return out;
    }
    return n;
  }
}
