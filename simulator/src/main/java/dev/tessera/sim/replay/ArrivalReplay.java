package dev.tessera.sim.replay;

import dev.tessera.engine.features.BaselineScores;
import dev.tessera.engine.features.FgdMath;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.FgdScore;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.sim.trace.Arrival;
import dev.tessera.sim.trace.OpenbNode;
import dev.tessera.sim.trace.OpenbPod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Reference oracle for the FGD experiment (policies.md §2–§9): arrivals in a given order, no
 * departures, a pod that fits nowhere is dropped, score ties go to the smallest node rank. This is
 * a plain-Java replay of the paper's simulator used to validate the {@code features} functions; the
 * product path goes through the DRL policies and {@code Engine.decide}.
 *
 * <p>Not thread-safe; one instance per run.
 */
public final class ArrivalReplay {
  private final Fragmentation frag;
  private final ReplayPolicy policy;
  private final Random random;
  private final int n;
  private final String[] model;
  private final long[] cpuLeft;
  private final long[] memLeft;
  private final int[] pods;
  private final int[][] idle;
  private final long[] capacityMilli;
  private final List<Set<String>> tags;
  private final double[] fragCache;
  private final double[] idleCache;
  private final List<Map<FgdPod, Integer>> scoreCache;
  private final int[] feasible;
  private final int totalGpus;

  /**
   * A replay over {@code nodes} (tie-break rank from {@code ranks}, lower wins), with the target
   * workload built from {@code originals}. {@code randomSeed} drives only {@link
   * ReplayPolicy#RANDOM}.
   */
  public ArrivalReplay(
      List<OpenbNode> nodes,
      List<OpenbPod> originals,
      Map<String, Integer> ranks,
      ReplayPolicy policy,
      long randomSeed) {
    this.policy = policy;
    this.random = new Random(randomSeed);
    List<FgdPod> w = new ArrayList<>(originals.size());
    for (OpenbPod p : originals) {
      w.add(toFgdPod(p));
    }
    this.frag = new Fragmentation(TargetWorkload.fromPods(w));
    List<OpenbNode> sorted = new ArrayList<>(nodes);
    for (OpenbNode node : sorted) {
      if (!ranks.containsKey(node.name())) {
        throw new IllegalArgumentException("no tie-break rank for node " + node.name());
      }
    }
    // Iterating in rank order and replacing the winner only on a strictly greater score gives ties
    // to
    // the smallest rank, as the Go fork's selectHost does with rank-prefixed names.
    sorted.sort((a, b) -> Integer.compare(ranks.get(a.name()), ranks.get(b.name())));
    n = sorted.size();
    model = new String[n];
    cpuLeft = new long[n];
    memLeft = new long[n];
    pods = new int[n];
    idle = new int[n][];
    capacityMilli = new long[n];
    tags = new ArrayList<>(n);
    fragCache = new double[n];
    idleCache = new double[n];
    scoreCache = new ArrayList<>(n);
    feasible = new int[n];
    int gpus = 0;
    for (int i = 0; i < n; i++) {
      OpenbNode node = sorted.get(i);
      model[i] = node.model();
      cpuLeft[i] = node.cpuMilli();
      memLeft[i] = node.memoryMib();
      idle[i] = new int[node.gpuCount()];
      Arrays.fill(idle[i], 1000);
      capacityMilli[i] = 1000L * node.gpuCount();
      gpus += node.gpuCount();
      tags.add(new HashSet<>());
      scoreCache.add(new HashMap<>());
      refresh(i);
    }
    totalGpus = gpus;
  }

  /** The FGD pod shape of an openb row: m clipped to [0,1000], m = 0 for CPU-only pods (§1). */
  public static FgdPod toFgdPod(OpenbPod p) {
    int m = Math.max(0, Math.min(1000, p.gpuMilli()));
    return new FgdPod(
        p.cpuMilli(), p.memoryMib(), p.numGpu(), p.numGpu() == 0 ? 0 : m, p.gpuSpec());
  }

  /** Total GPUs of the cluster. */
  public int totalGpus() {
    return totalGpus;
  }

  /**
   * Replays {@code order}, resolving each arrival's resources by its source pod name in {@code
   * podsByName}; returns one event per arrival.
   */
  public List<ReplayEvent> run(List<Arrival> order, Map<String, OpenbPod> podsByName) {
    List<ReplayEvent> events = new ArrayList<>(order.size());
    Map<String, FgdPod> shapes = new HashMap<>();
    long arrived = 0;
    long allocated = 0;
    for (Arrival a : order) {
      String name = a.sourcePodName();
      FgdPod pod =
          shapes.computeIfAbsent(
              name,
              k -> {
                OpenbPod p = podsByName.get(k);
                if (p == null) {
                  throw new IllegalArgumentException(
                      "arrival " + a.seq() + " names unknown pod " + k);
                }
                return toFgdPod(p);
              });
      arrived += pod.gpuDemand();
      boolean placed = schedule(pod);
      if (placed) {
        allocated += pod.gpuDemand();
      }
      double fragSum = 0.0;
      double idleSum = 0.0;
      for (int i = 0; i < n; i++) {
        fragSum += fragCache[i];
        idleSum += idleCache[i];
      }
      events.add(new ReplayEvent(arrived, allocated, fragSum, idleSum, placed));
    }
    return events;
  }

  private boolean schedule(FgdPod pod) {
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (FgdMath.feasible(cpuLeft[i], memLeft[i], pods[i], idle[i], model[i], pod)) {
        feasible[count++] = i;
      }
    }
    if (count == 0) {
      return false;
    }
    int chosen;
    if (count == 1) {
      chosen = feasible[0]; // §3.3: a single feasible node is taken without scoring
    } else if (policy == ReplayPolicy.RANDOM) {
      chosen = feasible[random.nextInt(count)];
    } else {
      chosen = -1;
      int best = Integer.MIN_VALUE;
      for (int f = 0; f < count; f++) {
        int i = feasible[f];
        int s = score(i, pod);
        if (s > best) {
          best = s;
          chosen = i;
        }
      }
    }
    bind(chosen, pod);
    return true;
  }

  private int score(int i, FgdPod pod) {
    long l = FgdMath.idleSum(idle[i]);
    switch (policy) {
      case DOT_PROD:
        return BaselineScores.dotProduct(cpuLeft[i], l, pod);
      case GPU_CLUSTERING:
        {
          Set<String> t = tags.get(i);
          return BaselineScores.gpuClustering(l, t.contains(pod.gpuTag()), t.size(), pod);
        }
      case GPU_PACKING:
        return BaselineScores.gpuPacking(idle[i], pod);
      case BEST_FIT:
        // raw scores: min-max normalisation is order-preserving and injective here (§3.4)
        return BaselineScores.bestFitRaw(cpuLeft[i], l, pod);
      case FGD:
        return scoreCache
            .get(i)
            .computeIfAbsent(
                pod, p -> FgdScore.score(frag, cpuLeft[i], idle[i], model[i], fragCache[i], p));
      default:
        throw new IllegalStateException("unscored policy " + policy);
    }
  }

  private void bind(int i, FgdPod pod) {
    int[] gpus;
    if (policy == ReplayPolicy.FGD) {
      gpus = FgdScore.selectGpus(frag, cpuLeft[i], idle[i], model[i], fragCache[i], pod);
    } else if (policy == ReplayPolicy.RANDOM && pod.isSharing()) {
      gpus = randomSharingGpu(idle[i], pod.gpuMilli());
    } else {
      gpus = FgdMath.bestGpus(idle[i], pod);
    }
    if (!pod.isCpuOnly() && gpus.length != pod.gpuCount()) {
      throw new IllegalStateException("selector found no GPUs on a feasible node for " + pod);
    }
    for (int j : gpus) {
      idle[i][j] -= pod.gpuMilli();
    }
    cpuLeft[i] -= pod.cpuMilli();
    memLeft[i] -= pod.memoryMib();
    pods[i]++;
    if (!pod.isCpuOnly()) {
      tags.get(i).add(pod.gpuTag());
    }
    refresh(i);
  }

  private int[] randomSharingGpu(int[] gpuIdle, int m) {
    int pick = -1;
    int seen = 0;
    for (int j = 0; j < gpuIdle.length; j++) {
      if (gpuIdle[j] >= m && random.nextInt(++seen) == 0) {
        pick = j;
      }
    }
    return pick < 0 ? new int[0] : new int[] {pick};
  }

  private void refresh(int i) {
    double[] b = frag.buckets(cpuLeft[i], idle[i], model[i]);
    fragCache[i] = Fragmentation.fragOf(b);
    idleCache[i] = Fragmentation.idleOf(b);
    scoreCache.get(i).clear();
  }
}
