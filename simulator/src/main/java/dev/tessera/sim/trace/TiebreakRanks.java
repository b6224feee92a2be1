package dev.tessera.sim.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node tie-break ranks per seed (lower wins a score tie), read from a file with header {@code
 * node,rank_seed<S>,…}, e.g. {@code ../shared/reference/fgd/node-tiebreak-rank-seeds42-51.csv}.
 * Each seed's ranks must be distinct non-negative integers.
 *
 * @param nodes node names in file order
 * @param bySeed seed → node name → rank
 */
public record TiebreakRanks(List<String> nodes, Map<Integer, Map<String, Integer>> bySeed) {
  public TiebreakRanks {
    nodes = List.copyOf(nodes);
    bySeed = Collections.unmodifiableMap(new LinkedHashMap<>(bySeed));
  }

  /** Reads the file strictly. */
  public static TiebreakRanks read(Path file) {
    try (BufferedReader in = OpenbCsv.open(file)) {
      String header = in.readLine();
      if (header == null) {
        throw new TraceFormatException(
            file, 1, "", "expected header node,rank_seed<S>,…, got an empty file");
      }
      List<String> cols = OpenbCsv.split(header);
      if (cols.size() < 2 || !cols.get(0).equals("node")) {
        throw new TraceFormatException(
            file, 1, "", "expected header node,rank_seed<S>,…, got " + header);
      }
      int[] seeds = new int[cols.size() - 1];
      for (int i = 1; i < cols.size(); i++) {
        String c = cols.get(i);
        if (!c.matches("rank_seed-?[0-9]{1,9}")) {
          throw new TraceFormatException(file, 1, c, "expected a column named rank_seed<integer>");
        }
        seeds[i - 1] = Integer.parseInt(c.substring("rank_seed".length()));
      }
      List<String> nodes = new ArrayList<>();
      List<Map<String, Integer>> maps = new ArrayList<>();
      List<HashSet<Integer>> seen = new ArrayList<>();
      for (int i = 0; i < seeds.length; i++) {
        maps.add(new HashMap<>());
        seen.add(new HashSet<>());
      }
      String line;
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isEmpty()) {
          continue;
        }
        List<String> cells = OpenbCsv.split(line);
        if (cells.size() != cols.size()) {
          throw new TraceFormatException(
              file,
              lineNo,
              "",
              "expected " + cols.size() + " comma-separated cells, got " + cells.size());
        }
        var row = new OpenbCsv.Row(file, lineNo, cols, cells);
        String node = row.name("node");
        if (maps.get(0).containsKey(node)) {
          throw row.error("node", "expected each node once, got a repeat of " + node);
        }
        nodes.add(node);
        for (int i = 0; i < seeds.length; i++) {
          String col = cols.get(i + 1);
          int rank = row.intIn(col, 0, Integer.MAX_VALUE);
          if (!seen.get(i).add(rank)) {
            throw row.error(col, "expected distinct ranks within a seed, got a repeat of " + rank);
          }
          maps.get(i).put(node, rank);
        }
      }
      Map<Integer, Map<String, Integer>> bySeed = new LinkedHashMap<>();
      for (int i = 0; i < seeds.length; i++) {
        bySeed.put(seeds[i], Collections.unmodifiableMap(maps.get(i)));
      }
      return new TiebreakRanks(nodes, bySeed);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read tie-break file " + file + ": " + e.getMessage(), e);
    }
  }

  /** node name → rank for {@code seed}; throws with the available seeds when it is absent. */
  public Map<String, Integer> forSeed(int seed) {
    var m = bySeed.get(seed);
    if (m == null) {
      throw new IllegalArgumentException(
          "no tie-break ranks for seed " + seed + "; available seeds: " + bySeed.keySet());
    }
    return m;
  }
}
