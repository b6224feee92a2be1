package dev.tessera.engine.model;

import java.util.Map;

/**
 * GPU-to-GPU link scores of one node (decoded {@code hami.io/node-nvidia-score}): higher means a
 * better link (NVLink 100 per link, PCIe 10–60).
 */
public record PairScores(Map<String, Map<String, Integer>> scores) {
  public static final PairScores NONE = new PairScores(Map.of());

  public PairScores {
    scores = Map.copyOf(scores);
  }

  /** Score from {@code a} towards {@code b} as published by {@code a}; 0 when unknown. */
  public int score(String a, String b) {
    var row = scores.get(a);
    if (row == null) {
      return 0;
    }
    return row.getOrDefault(b, 0);
  }
}
