package dev.tessera.deviceplugin.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.engine.model.PairScores;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GPU pair scores published as {@code hami.io/node-nvidia-score} (hami-compat §3.2). */
public final class PairScoring {
  /** The Warning event reason HAMi emits for an asymmetric pair. */
  public static final String ASYMMETRIC_EVENT_REASON = "AsymmetricGPUP2PLink";

  private static final ObjectMapper JSON = new ObjectMapper();

  private PairScoring() {}

  /**
   * Score from {@code a} towards {@code b}: the sum of a's entries towards b, or 0 (asymmetric)
   * when b reports a different number of entries towards a.
   */
  public static PairScore pairScore(GpuLinks a, GpuLinks b) {
    var ab = a.towards(b.index());
    var ba = b.towards(a.index());
    if (ab.size() != ba.size()) {
      return new PairScore(0, true);
    }
    int sum = 0;
    for (var t : ab) {
      sum += t.score();
    }
    return new PairScore(sum, false);
  }

  /** The score of every ordered pair of distinct GPUs. */
  public static PairScores scores(List<GpuLinks> gpus) {
    var out = new LinkedHashMap<String, Map<String, Integer>>();
    for (var row : rows(gpus).entrySet()) {
      out.put(row.getKey(), Map.copyOf(row.getValue()));
    }
    return new PairScores(out);
  }

  /** Pairs {@code [a, b]} (UUIDs) whose entry counts differ; each unordered pair listed once. */
  public static List<List<String>> asymmetricPairs(List<GpuLinks> gpus) {
    var out = new ArrayList<List<String>>();
    for (int i = 0; i < gpus.size(); i++) {
      for (int j = i + 1; j < gpus.size(); j++) {
        if (pairScore(gpus.get(i), gpus.get(j)).asymmetric()) {
          out.add(List.of(gpus.get(i).uuid(), gpus.get(j).uuid()));
        }
      }
    }
    return out;
  }

  /**
   * The annotation value {@code [{"uuid":"GPU-a","score":{"GPU-b":200,…}},…]}, GPUs and peers in
   * {@code gpus} order.
   */
  public static String annotationValue(List<GpuLinks> gpus) {
    var list = new ArrayList<Map<String, Object>>();
    for (var row : rows(gpus).entrySet()) {
      var entry = new LinkedHashMap<String, Object>();
      entry.put("uuid", row.getKey());
      entry.put("score", row.getValue());
      list.add(entry);
    }
    try {
      return JSON.writeValueAsString(list);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Map<String, Integer>> rows(List<GpuLinks> gpus) {
    var out = new LinkedHashMap<String, Map<String, Integer>>();
    for (var a : gpus) {
      var row = new LinkedHashMap<String, Integer>();
      for (var b : gpus) {
        if (a != b) {
          row.put(b.uuid(), pairScore(a, b).score());
        }
      }
      out.put(a.uuid(), row);
    }
    return out;
  }
}
