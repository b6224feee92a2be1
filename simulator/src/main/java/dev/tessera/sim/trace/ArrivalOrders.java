package dev.tessera.sim.trace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Arrival sequences per seed, read from a file with columns {@code seed,seq,source_pod,tuned_index}
 * (optionally gzip-compressed), e.g. {@code
 * ../shared/reference/fgd/arrival-orders-seeds42-51.csv.gz}. Within a seed, {@code seq} must run 0,
 * 1, 2, … in file order.
 *
 * @param bySeed seed → arrivals in {@code seq} order
 */
public record ArrivalOrders(Map<Integer, List<Arrival>> bySeed) {
  public static final List<String> COLUMNS = List.of("seed", "seq", "source_pod", "tuned_index");

  public ArrivalOrders {
    bySeed = Collections.unmodifiableMap(new TreeMap<>(bySeed));
  }

  /** Reads the whole file strictly. */
  public static ArrivalOrders read(Path file) {
    Map<Integer, List<Arrival>> bySeed = new TreeMap<>();
    record Raw(int seed, Arrival arrival) {}
    var result =
        OpenbCsv.read(
            file,
            COLUMNS,
            false,
            r -> {
              int seed = r.intIn("seed", Integer.MIN_VALUE, Integer.MAX_VALUE);
              int seq = r.intIn("seq", 0, Integer.MAX_VALUE);
              String source = r.cell("source_pod");
              if (source.isEmpty() || !source.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw r.error(
                    "source_pod",
                    "expected the digits NNNN of openb-pod-NNNN, got \"" + source + "\"");
              }
              var tuned = r.optionalLong("tuned_index");
              if (tuned.isPresent()
                  && (tuned.getAsLong() < 0 || tuned.getAsLong() > Integer.MAX_VALUE)) {
                throw r.error("tuned_index", "expected a non-negative integer or an empty cell");
              }
              var list = bySeed.computeIfAbsent(seed, s -> new ArrayList<>());
              if (seq != list.size()) {
                throw r.error(
                    "seq",
                    "expected "
                        + list.size()
                        + " (consecutive within seed "
                        + seed
                        + "), got "
                        + seq);
              }
              var a =
                  new Arrival(
                      seq,
                      source,
                      tuned.isPresent()
                          ? OptionalInt.of((int) tuned.getAsLong())
                          : OptionalInt.empty());
              list.add(a);
              return new Raw(seed, a);
            });
    if (result.rows().isEmpty()) {
      throw new TraceFormatException(file, 0, "", "expected at least one arrival row");
    }
    Map<Integer, List<Arrival>> frozen = new TreeMap<>();
    bySeed.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new ArrivalOrders(frozen);
  }

  /** The arrivals of {@code seed}; throws with the available seeds when it is absent. */
  public List<Arrival> forSeed(int seed) {
    var list = bySeed.get(seed);
    if (list == null) {
      throw new IllegalArgumentException(
          "no arrival order for seed " + seed + "; available seeds: " + bySeed.keySet());
    }
    return list;
  }
}
