package dev.tessera.sim.workload;

import dev.tessera.sim.trace.TraceNode;
import dev.tessera.sim.trace.TracePod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The FGD experiment's workload preparation (policies.md §7.1–7.2) with Tessera's own seeded
 * randomness: {@link #shuffle} orders the pods, {@link #tune} scales the GPU demand to a ratio of
 * the cluster's GPU capacity, {@link #arrivals} does both in the paper's order. The rules follow
 * the FGD simulator; the random draws come from {@link SplittableRandom} and so differ from Go's
 * {@code math/rand} (use an order file to replay the paper's exact sequence). Same inputs and seed,
 * same result, on every JVM.
 */
public final class Workload {
  /**
   * Mixed into the seed for tuning so that its draws are independent of the shuffle's: tuning uses
   * {@code new SplittableRandom(seed ^ TUNE_SALT)}, the shuffle {@code new SplittableRandom(seed)}.
   */
  public static final long TUNE_SALT = 0x9E3779B97F4A7C15L;

  private static final Comparator<TracePod> BY_NAME = Comparator.comparing(TracePod::name);

  private Workload() {}

  /**
   * The arrival list of the FGD experiment: {@code pods} sorted by name and shuffled, then the
   * tuning copies appended ({@code ratio} of the GPU capacity of {@code nodes}, e.g. 1.3).
   */
  public static List<TracePod> arrivals(
      List<TracePod> pods, List<TraceNode> nodes, double ratio, long seed) {
    return tune(shuffle(pods, seed), nodes, ratio, seed);
  }

  /**
   * {@code pods} sorted by name, then shuffled by Fisher–Yates from the last index down: for i =
   * n−1 … 1, swap i with {@code rnd.nextInt(i + 1)}, {@code rnd = new SplittableRandom(seed)}.
   * Sorting first makes the result independent of the input order.
   */
  public static List<TracePod> shuffle(List<TracePod> pods, long seed) {
    List<TracePod> out = new ArrayList<>(pods);
    out.sort(BY_NAME);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      TracePod t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }

  /**
   * {@code pods} with their total GPU demand A (Σ {@link TracePod#gpuDemandMilli()}) tuned towards
   * the target {@code ratio × 1000 × GPUs of nodes} milli-GPU (policies.md §7.1), drawing with
   * {@code new SplittableRandom(seed ^ TUNE_SALT)}:
   *
   * <ul>
   *   <li>A &lt; target (tune up): repeatedly draw a pod uniformly from {@code pods} sorted by
   *       name; stop (discarding it) when A plus its <em>per-GPU</em> share ({@link
   *       TracePod#gpuMilli()}) exceeds the target, else append a copy named {@code
   *       <name>-tuned-<i>} (i = 0, 1, …) and add its demand. As in the FGD simulator, a multi-GPU
   *       copy can overshoot the target by up to (count − 1) × share.
   *   <li>A &gt; target (tune down): remove a uniformly drawn pod until A ≤ target.
   * </ul>
   *
   * Input order is kept; copies come after all of {@code pods}, in draw order.
   *
   * @throws IllegalArgumentException when the ratio is not positive and finite, the nodes have no
   *     GPU, or tuning up is asked of pods none of which wants a GPU (it would never end)
   */
  public static List<TracePod> tune(
      List<TracePod> pods, List<TraceNode> nodes, double ratio, long seed) {
    if (!(ratio > 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException(
          "tuning ratio: expected a positive number (e.g. 1.3), got " + ratio);
    }
    long gpus = nodes.stream().mapToLong(TraceNode::gpuCount).sum();
    if (gpus == 0) {
      throw new IllegalArgumentException(
          "cannot tune the workload to a share of GPU capacity: the cluster has no GPUs");
    }
    double target = ratio * 1000.0 * gpus;
    long demand = pods.stream().mapToLong(TracePod::gpuDemandMilli).sum();
    SplittableRandom rnd = new SplittableRandom(seed ^ TUNE_SALT);
    List<TracePod> out = new ArrayList<>(pods);
    if (demand < target) {
      List<TracePod> w = new ArrayList<>(pods);
      w.sort(BY_NAME);
      if (w.stream().allMatch(p -> p.gpuMilli() == 0)) {
        throw new IllegalArgumentException(
            "cannot tune the workload up to " + ratio + " × GPU capacity: no pod asks for a GPU");
      }
      for (int i = 0; ; i++) {
        TracePod c = w.get(rnd.nextInt(w.size()));
        if (demand + c.gpuMilli() > target) {
          break;
        }
        out.add(copy(c, c.name() + "-tuned-" + i));
        demand += c.gpuDemandMilli();
      }
    } else {
      while (demand > target) {
        demand -= out.remove(rnd.nextInt(out.size())).gpuDemandMilli();
      }
    }
    return out;
  }

  private static TracePod copy(TracePod p, String name) {
    return new TracePod(
        name,
        p.cpuMilli(),
        p.memoryMiB(),
        p.gpuCount(),
        p.gpuMemoryMiB(),
        p.gpuMemoryPercent(),
        p.gpuCores(),
        p.gpuType(),
        p.createdAt(),
        p.deletedAt());
  }
}
