package dev.tessera.engine.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.model.PairScores;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code hami.io/node-nvidia-score} annotation (hami-compat §3.2): {@code
 * [{"uuid":"GPU-a","score":{"GPU-b":200}}, …]}, one entry per GPU with its scores towards peers.
 */
public final class PairScoresCodec {
  private PairScoresCodec() {}

  private static final String A = Annotations.NODE_PAIR_SCORE;

  /**
   * Decodes the annotation. When a GPU appears twice its first entry wins, because HAMi looks
   * scores up by scanning the list from the front.
   *
   * @throws AnnotationDecodeException on malformed JSON or a non-integer score
   */
  public static PairScores decode(String value) {
    JsonNode root = StrictJson.parse(A, value, "a JSON array of {uuid, score} objects");
    Map<String, Map<String, Integer>> out = new HashMap<>();
    for (JsonNode e : StrictJson.array(A, root, "the score list")) {
      if (e.isNull()) {
        continue; // Go decodes a null element into a zero-value entry with no scores
      }
      StrictJson.object(A, e, "a {uuid, score} entry");
      String uuid = StrictJson.string(A, e, "uuid");
      JsonNode scores = e.get("score");
      Map<String, Integer> row = new LinkedHashMap<>();
      if (scores != null && !scores.isNull()) {
        StrictJson.object(A, scores, "\"score\"");
        for (var f : scores.properties()) {
          row.put(
              f.getKey(),
              (int)
                  StrictJson.integerValue(
                      A, e, f.getKey(), f.getValue(), Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
      }
      out.putIfAbsent(uuid, row);
    }
    return new PairScores(out);
  }

  /** Encodes scores with GPUs and peers in UUID order, so equal scores give equal strings. */
  public static String encode(PairScores scores) {
    ArrayNode arr = StrictJson.MAPPER.createArrayNode();
    for (var row : new TreeMap<>(scores.scores()).entrySet()) {
      ObjectNode o = arr.addObject();
      o.put("uuid", row.getKey());
      ObjectNode s = o.putObject("score");
      new TreeMap<>(row.getValue()).forEach(s::put);
    }
    return arr.toString();
  }
}
