package dev.tessera.engine.fit;

import dev.tessera.engine.model.PairScores;
import java.util.ArrayList;
import java.util.List;

/** Topology-aware selection among Fit's candidates (hami-compat §7.5 after the walk, §7.6). */
public final class Topology {
  private Topology() {}

  /**
   * Index (into {@code candidates}) of the card with the lowest sum of scores to the other
   * candidates: keeps well-connected cards for multi-GPU jobs. Ties go to the first.
   */
  public static int worstSingleCard(List<String> candidates, PairScores scores) {
    int best = 0;
    long bestSum = Long.MAX_VALUE;
    for (int i = 0; i < candidates.size(); i++) {
      long sum = 0;
      for (int j = 0; j < candidates.size(); j++) {
        if (i != j) {
          sum += scores.score(candidates.get(i), candidates.get(j));
        }
      }
      if (sum < bestSum) {
        bestSum = sum;
        best = i;
      }
    }
    return best;
  }

  /**
   * Index of the combination with the highest Σ over i&lt;j of {@code score[c_i][c_j]} (looked up
   * in the map of the earlier element); ties go to the first.
   */
  public static int bestCombination(List<List<String>> combinations, PairScores scores) {
    int best = 0;
    long bestSum = Long.MIN_VALUE;
    for (int c = 0; c < combinations.size(); c++) {
      long sum = combinationScore(combinations.get(c), scores);
      if (sum > bestSum) {
        bestSum = sum;
        best = c;
      }
    }
    return best;
  }

  /**
   * Link score of one container's GPUs: Σ over i&lt;j of {@code score[c_i][c_j]} (the map of the
   * earlier element), the sum topology-aware selection maximises; 0 for fewer than two GPUs.
   */
  public static long combinationScore(List<String> combo, PairScores scores) {
    long sum = 0;
    for (int i = 0; i < combo.size(); i++) {
      for (int j = i + 1; j < combo.size(); j++) {
        sum += scores.score(combo.get(i), combo.get(j));
      }
    }
    return sum;
  }

  /** Every {@code k}-subset of index range [0, n) in lexicographic order. */
  public static List<int[]> combinations(int n, int k) {
    List<int[]> out = new ArrayList<>();
    if (k < 0 || k > n) {
      return out;
    }
    int[] idx = new int[k];
    for (int i = 0; i < k; i++) {
      idx[i] = i;
    }
    while (true) {
      out.add(idx.clone());
      int i = k - 1;
      while (i >= 0 && idx[i] == n - k + i) {
        i--;
      }
      if (i < 0) {
        return out;
      }
      idx[i]++;
      for (int j = i + 1; j < k; j++) {
        idx[j] = idx[j - 1] + 1;
      }
    }
  }

  /** Every {@code k}-subset of {@code items}, each in item order, lexicographic by index. */
  public static <T> List<List<T>> combinations(List<T> items, int k) {
    List<List<T>> out = new ArrayList<>();
    for (int[] idx : combinations(items.size(), k)) {
      List<T> combo = new ArrayList<>(k);
      for (int i : idx) {
        combo.add(items.get(i));
      }
      out.add(combo);
    }
    return out;
  }
}
