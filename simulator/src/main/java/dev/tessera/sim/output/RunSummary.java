package dev.tessera.sim.output;

import dev.tessera.sim.replay.FgdMetrics;
import dev.tessera.sim.replay.ReplayEvent;
import dev.tessera.sim.run.PodClass;
import dev.tessera.sim.run.PolicyRun;
import dev.tessera.sim.run.SimEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code summary.json} and {@code report.html} say about one policy run: final metrics,
 * checkpoint metrics at "arrived X % of capacity", pod counts by class and waiting times.
 * Percentages are of the cluster's GPU capacity (1000 milli × GPUs) unless named otherwise; values
 * that do not exist (no GPUs, no event in a bucket, no idle GPU) are {@code NaN}.
 *
 * @param policy the policy's name
 * @param seed the run's seed
 * @param totalGpus GPUs in the cluster
 * @param events number of events
 * @param wallMillis wall-clock time of the run
 * @param finalArrivedPct arrived GPU demand at the end, % of capacity
 * @param finalAllocPct allocated GPU at the end, % of capacity
 * @param finalFragPct FGD fragmentation at the end, % of capacity
 * @param finalFragRatioPct fragmentation as % of the idle GPU milli at the end
 * @param finalFullyIdleGpus GPUs with nothing allocated at the end
 * @param allocatedMilli GPU milli allocated at the end
 * @param checkpoints metric ({@link FgdMetrics#ALLOC}, {@link FgdMetrics#FRAG_AMOUNT}, {@link
 *     FgdMetrics#FRAG_RATIO}) → X → value, discretised as the FGD paper's scripts do
 * @param placed placed pods by class
 * @param dropped dropped pods by class ({@code arrivals} mode)
 * @param pendingAtEnd pods still waiting at the end, by class ({@code timed} mode)
 * @param waits waiting times of placed pods, or null when no pod was queued
 */
public record RunSummary(
    String policy,
    long seed,
    int totalGpus,
    int events,
    long wallMillis,
    double finalArrivedPct,
    double finalAllocPct,
    double finalFragPct,
    double finalFragRatioPct,
    int finalFullyIdleGpus,
    long allocatedMilli,
    Map<String, Map<Integer, Double>> checkpoints,
    Map<PodClass, Integer> placed,
    Map<PodClass, Integer> dropped,
    Map<PodClass, Integer> pendingAtEnd,
    Waits waits) {

  public RunSummary {
    checkpoints = Map.copyOf(checkpoints);
    placed = frozen(placed);
    dropped = frozen(dropped);
    pendingAtEnd = frozen(pendingAtEnd);
  }

  private static Map<PodClass, Integer> frozen(Map<PodClass, Integer> m) {
    Map<PodClass, Integer> out = zeros();
    out.putAll(m);
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * The "arrived X %" columns of {@code summary.json}: those of the FGD paper's result table
   * ({@code openb-default-expected.csv}), so every cell compares directly: 50, 60, 70, 80, 85, 88,
   * 90, 92, 94–100, 105, 110, 115, 120, 125, 130.
   */
  public static final int[] CHECKPOINTS = {
    50, 60, 70, 80, 85, 88, 90, 92, 94, 95, 96, 97, 98, 99, 100, 105, 110, 115, 120, 125, 130
  };

  /** The columns the report's tables show: 50, 60, …, 130. */
  public static final int[] REPORT_CHECKPOINTS = {50, 60, 70, 80, 90, 100, 110, 120, 130};

  /**
   * Waiting times (seconds) of the placed pods in {@code timed} mode; pods placed on arrival count
   * as 0.
   *
   * @param placed pods placed
   * @param waited pods placed after waiting in the queue
   * @param mean mean wait
   * @param p50 median wait (nearest rank)
   * @param p99 99th percentile wait (nearest rank)
   * @param max longest wait
   */
  public record Waits(int placed, int waited, double mean, double p50, double p99, double max) {}

  /** The summary of {@code run}. */
  public static RunSummary of(PolicyRun run) {
    List<SimEvent> events = run.events();
    Map<PodClass, Integer> placed = zeros();
    Map<PodClass, Integer> dropped = zeros();
    Map<PodClass, Integer> pending = zeros();
    List<ReplayEvent> metricEvents = new ArrayList<>(events.size());
    double[] waits = new double[events.size()];
    int nWaits = 0;
    int waited = 0;
    boolean queued = false;
    long prevArrived = 0;
    for (SimEvent e : events) {
      switch (e.kind()) {
        case PLACED -> {
          placed.merge(e.podClass(), 1, Integer::sum);
          waits[nWaits++] = e.waitSeconds();
          if (e.waitSeconds() > 0) {
            waited++;
          }
        }
        case DROPPED -> dropped.merge(e.podClass(), 1, Integer::sum);
        case QUEUED -> queued = true;
        case DEPARTED -> {}
      }
      // A retry that leaves the pod queued changes nothing; counting it would weight the bucket
      // means towards congested moments.
      boolean retry = e.kind() == SimEvent.Kind.QUEUED && e.arrivedMilli() == prevArrived;
      if (!retry) {
        metricEvents.add(
            new ReplayEvent(
                e.arrivedMilli(),
                e.allocatedMilli(),
                e.fragMilli(),
                e.idleMilli(),
                e.kind() == SimEvent.Kind.PLACED));
      }
      prevArrived = e.arrivedMilli();
    }
    SimEvent last = run.last();
    if (last != null) {
      int[] p = last.pendingByClass();
      for (PodClass c : PodClass.values()) {
        pending.put(c, c.ordinal() < p.length ? p[c.ordinal()] : 0);
      }
    }
    double cap = run.capacityMilli();
    Map<String, Map<Integer, Double>> checkpoints =
        run.totalGpus() == 0 || metricEvents.isEmpty()
            ? Map.of()
            : FgdMetrics.discretise(metricEvents, run.totalGpus(), CHECKPOINTS);
    return new RunSummary(
        run.policy(),
        run.seed(),
        run.totalGpus(),
        events.size(),
        run.wallMillis(),
        last == null ? Double.NaN : pct(last.arrivedMilli(), cap),
        last == null ? Double.NaN : pct(last.allocatedMilli(), cap),
        last == null ? Double.NaN : pct(last.fragMilli(), cap),
        last == null ? Double.NaN : pct(last.fragMilli(), last.idleMilli()),
        last == null ? run.totalGpus() : last.fullyIdleGpus(),
        last == null ? 0 : last.allocatedMilli(),
        checkpoints,
        placed,
        dropped,
        pending,
        queued ? waits(Arrays.copyOf(waits, nWaits), waited) : null);
  }

  /** Pods placed, over all classes. */
  public int placedTotal() {
    return placed.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Pods dropped, over all classes. */
  public int droppedTotal() {
    return dropped.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Pods still waiting at the end, over all classes. */
  public int pendingTotal() {
    return pendingAtEnd.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * GPUs saved compared with {@code baseline}: the GPU capacity, in whole GPUs, that this run has
   * allocated at the end beyond what the baseline allocated on the same cluster and arrivals, i.e.
   * GPUs the baseline leaves unallocated that this policy puts to work (negative: wastes more).
   */
  public double gpusSavedVs(RunSummary baseline) {
    return (allocatedMilli - baseline.allocatedMilli) / 1000.0;
  }

  private static double pct(double part, double whole) {
    return whole == 0 ? Double.NaN : 100.0 * part / whole;
  }

  private static Waits waits(double[] w, int waited) {
    if (w.length == 0) {
      return new Waits(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] s = w.clone();
    Arrays.sort(s);
    return new Waits(
        s.length,
        waited,
        FgdMetrics.pairwiseSum(s, 0, s.length) / s.length,
        nearestRank(s, 0.50),
        nearestRank(s, 0.99),
        s[s.length - 1]);
  }

  /** The nearest-rank percentile: the smallest value with at least q of the values ≤ it. */
  static double nearestRank(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static Map<PodClass, Integer> zeros() {
    Map<PodClass, Integer> m = new EnumMap<>(PodClass.class);
    for (PodClass c : PodClass.values()) {
      m.put(c, 0);
    }
    return m;
  }
}
