package dev.tessera.sim.loop;

import dev.tessera.sim.trace.Arrival;
import dev.tessera.sim.trace.TraceNode;
import dev.tessera.sim.trace.TracePod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Arrival sequences and node tie-break ranks for {@code --mode arrivals}: the one implementation of
 * the FGD experiment's workload preparation (docs/trace-format.md, "Workload tuning and shuffle").
 *
 * <p>Tessera's own seeded rule (no order file), after policies.md §7 with {@link Random} in place
 * of Go's generator (so the sequence differs from the paper's; {@code --order} replays that), one
 * {@code new Random(seed)} stream used in this order:
 *
 * <ol>
 *   <li>shuffle: the pods sorted by name, then {@link Collections#shuffle(List, Random)};
 *   <li>tune to {@code ratio} × GPU capacity (milli): while the demand A is below the target, draw
 *       {@code nextInt(|W|)} over the name-sorted pods; stop (discarding the draw) when A plus the
 *       candidate's per-GPU milli exceeds the target (the paper's test), else append a copy named
 *       {@code <name>-tuned-<i>} and add its demand k·m. Above the target, remove {@code
 *       nextInt(size)} pods until A is at most the target;
 *   <li>node ranks (see {@link #seededRanks}): a shuffle of 0…n−1 over the name-sorted nodes.
 * </ol>
 */
public final class Workloads {
  private Workloads() {}

  /**
   * The pods of {@code order}, each resolved by its source pod name in {@code pods}; a tuned copy
   * is named {@code <source>-tuned-<index>}. Arrival time = position.
   *
   * @throws IllegalArgumentException when an arrival names a pod the trace lacks
   */
  public static List<TracePod> fromOrder(List<TracePod> pods, List<Arrival> order) {
    Map<String, TracePod> byName = new HashMap<>(pods.size() * 2);
    for (TracePod p : pods) {
      byName.put(p.name(), p);
    }
    var out = new ArrayList<TracePod>(order.size());
    for (Arrival a : order) {
      TracePod p = byName.get(a.sourcePodName());
      if (p == null) {
        throw new IllegalArgumentException(
            "arrival " + a.seq() + " names pod " + a.sourcePodName() + ", which the trace lacks");
      }
      String name =
          a.tunedIndex().isPresent() ? p.name() + "-tuned-" + a.tunedIndex().getAsInt() : p.name();
      out.add(renamed(p, name, a.seq()));
    }
    return out;
  }

  /**
   * Tessera's seeded shuffle of {@code pods} and tuning to {@code ratio} × the GPU capacity of
   * {@code nodes} (1000 milli per GPU; see the class comment); consumes {@code rng}. Arrival time =
   * position. The input order does not matter (the pods are sorted by name first).
   *
   * @throws IllegalArgumentException when the ratio is not positive and finite, the nodes have no
   *     GPU, or tuning up is asked of pods none of which wants a GPU (it would never end)
   */
  public static List<TracePod> tuned(
      List<TracePod> pods, List<TraceNode> nodes, double ratio, Random rng) {
    if (!(ratio > 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException(
          "--ratio: expected a positive number (e.g. 1.3), got " + ratio);
    }
    long capacityMilli = 0;
    for (TraceNode n : nodes) {
      capacityMilli += 1000L * n.gpuCount();
    }
    if (capacityMilli == 0) {
      throw new IllegalArgumentException(
          "cannot tune the workload to a share of GPU capacity: the cluster has no GPUs");
    }
    List<TracePod> byName = new ArrayList<>(pods);
    byName.sort(Comparator.comparing(TracePod::name));
    List<TracePod> out = new ArrayList<>(byName);
    Collections.shuffle(out, rng);
    double target = ratio * capacityMilli;
    long demand = 0;
    for (TracePod p : out) {
      demand += p.gpuDemandMilli();
    }
    if (demand < target) {
      if (byName.stream().allMatch(p -> p.gpuMilli() == 0)) {
        throw new IllegalArgumentException(
            "cannot tune the workload up to " + ratio + " × GPU capacity: no pod asks for a GPU");
      }
      for (int i = 0; ; i++) {
        TracePod candidate = byName.get(rng.nextInt(byName.size()));
        if (demand + candidate.gpuMilli() > target) {
          break;
        }
        out.add(renamed(candidate, candidate.name() + "-tuned-" + i, 0));
        demand += candidate.gpuDemandMilli();
      }
    } else {
      while (demand > target && !out.isEmpty()) {
        demand -= out.remove(rng.nextInt(out.size())).gpuDemandMilli();
      }
    }
    var timed = new ArrayList<TracePod>(out.size());
    for (int i = 0; i < out.size(); i++) {
      TracePod p = out.get(i);
      timed.add(renamed(p, p.name(), i));
    }
    return timed;
  }

  /**
   * Node ranks (lower wins a score tie): nodes sorted by name, node i gets element i of a shuffle
   * of 0…n−1 drawn from {@code rng}.
   */
  public static Map<String, Integer> seededRanks(List<TraceNode> nodes, Random rng) {
    List<String> names = new ArrayList<>(nodes.size());
    for (TraceNode n : nodes) {
      names.add(n.name());
    }
    Collections.sort(names);
    List<Integer> perm = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      perm.add(i);
    }
    Collections.shuffle(perm, rng);
    Map<String, Integer> ranks = new HashMap<>(names.size() * 2);
    for (int i = 0; i < names.size(); i++) {
      ranks.put(names.get(i), perm.get(i));
    }
    return ranks;
  }

  /**
   * {@code nodes} ordered by rank (the order score ties are broken in).
   *
   * @throws IllegalArgumentException when a node has no rank
   */
  public static List<TraceNode> byRank(List<TraceNode> nodes, Map<String, Integer> ranks) {
    for (TraceNode n : nodes) {
      if (!ranks.containsKey(n.name())) {
        throw new IllegalArgumentException("no tie-break rank for node " + n.name());
      }
    }
    var out = new ArrayList<>(nodes);
    out.sort(Comparator.comparingInt(n -> ranks.get(n.name())));
    return out;
  }

  private static TracePod renamed(TracePod p, String name, double createdAt) {
    return new TracePod(
        name,
        p.cpuMilli(),
        p.memoryMiB(),
        p.gpuCount(),
        p.gpuMemoryMiB(),
        p.gpuMemoryPercent(),
        p.gpuCores(),
        p.gpuType(),
        createdAt,
        -1);
  }
}
