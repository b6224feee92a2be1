package dev.tessera.engine.features;

/**
 * A node's GPU fragmentation against a target workload (policies.md §6.2), in milli-GPU. Immutable
 * and thread-safe; methods are pure and allocate only two small scratch arrays per call.
 *
 * <p>Doubles are accumulated exactly as the Go simulator does (contributions per bucket in T order,
 * then F = b0+b1+b3+b4+b5+b6 from 0.0), so results match it bit for bit.
 */
public final class Fragmentation {
  /** Bucket indices of §6.2. */
  public static final int Q1_LACK_BOTH = 0;

  public static final int Q2_LACK_GPU = 1;
  public static final int Q3_SATISFIED = 2;
  public static final int Q4_LACK_CPU = 3;
  public static final int XL_SATISFIED = 4;
  public static final int XR_LACK_CPU = 5;
  public static final int NO_ACCESS = 6;

  /** Number of buckets. */
  public static final int BUCKETS = 7;

  private final TargetWorkload workload;
  private final long[] cpu;
  private final int[] milli;
  private final int[] count;
  private final String[] spec;
  private final double[] p;
  private final boolean[] anyModel;
  // Distinct non-zero m values of T and each class's index into them: the per-GPU scan depends on
  // m only, so it runs once per distinct m instead of once per class.
  private final int[] distinctMilli;
  private final int[] group;

  /** Compiles {@code workload} for fast scans. */
  public Fragmentation(TargetWorkload workload) {
    this.workload = workload;
    int n = workload.size();
    cpu = new long[n];
    milli = new int[n];
    count = new int[n];
    spec = new String[n];
    p = new double[n];
    anyModel = new boolean[n];
    group = new int[n];
    int[] distinct = new int[n];
    int d = 0;
    for (int i = 0; i < n; i++) {
      var t = workload.classes().get(i);
      cpu[i] = t.cpuMilli();
      milli[i] = t.gpuMilli();
      count[i] = t.gpuCount();
      spec[i] = t.gpuSpec();
      p[i] = t.probability();
      anyModel[i] = GpuTypes.unconstrained(t.gpuSpec());
      group[i] = -1;
      if (t.gpuMilli() > 0) {
        int g = 0;
        while (g < d && distinct[g] != t.gpuMilli()) {
          g++;
        }
        if (g == d) {
          distinct[d++] = t.gpuMilli();
        }
        group[i] = g;
      }
    }
    distinctMilli = java.util.Arrays.copyOf(distinct, d);
  }

  /** The target workload this instance evaluates against. */
  public TargetWorkload workload() {
    return workload;
  }

  /** F_n of a snapshot, milli-GPU. */
  public double nodeFrag(FgdNode node) {
    return nodeFrag(node.cpuMilliLeft(), node.idleView(), node.model());
  }

  /**
   * F_n, milli-GPU: Σ_t p_t·f_t where f_t is the node's idle milli unless t fits (Q3), in which
   * case only the idle milli on GPUs too small for t counts. {@code idle} is not mutated.
   */
  public double nodeFrag(long cpuLeft, int[] idle, String model) {
    return nodeFrag(cpuLeft, idle, -1, 0, model);
  }

  /**
   * {@link #nodeFrag(long, int[], String)} as if GPU {@code override} had {@code overrideIdle}
   * milli idle ({@code override} = −1 for none); lets FGD evaluate a candidate without copying the
   * array.
   */
  public double nodeFrag(long cpuLeft, int[] idle, int override, int overrideIdle, String model) {
    double b0 = 0, b1 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
    long total = 0;
    for (int j = 0; j < idle.length; j++) {
      total += j == override ? overrideIdle : idle[j];
    }
    int d = distinctMilli.length;
    int[] fittingOf = new int[d];
    long[] smallOf = new long[d];
    for (int g = 0; g < d; g++) {
      int m = distinctMilli[g];
      int fitting = 0;
      long small = 0;
      for (int j = 0; j < idle.length; j++) {
        int i = j == override ? overrideIdle : idle[j];
        if (i >= m) {
          fitting++;
        } else {
          small += i;
        }
      }
      fittingOf[g] = fitting;
      smallOf[g] = small;
    }
    double l = (double) total;
    for (int t = 0; t < p.length; t++) {
      double pt = p[t];
      boolean cpuFits = cpuLeft >= cpu[t];
      int g = group[t];
      if (g < 0) {
        if (cpuFits) {
          b4 += pt * l;
        } else {
          b5 += pt * l;
        }
        continue;
      }
      if (!anyModel[t] && !GpuTypes.admits(spec[t], model)) {
        b6 += pt * l;
        continue;
      }
      boolean gpuFits = fittingOf[g] >= count[t];
      if (gpuFits && cpuFits) {
        b1 += pt * (double) smallOf[g]; // Q3: too-small GPUs count in Q2
      } else if (gpuFits) {
        b3 += pt * l;
      } else if (cpuFits) {
        b1 += pt * l;
      } else {
        b0 += pt * l;
      }
    }
    return 0.0 + b0 + b1 + b3 + b4 + b5 + b6;
  }

  /**
   * All seven bucket amounts of §6.2 (index order {@link #Q1_LACK_BOTH} … {@link #NO_ACCESS}),
   * milli-GPU, accumulated in T order.
   */
  public double[] buckets(long cpuLeft, int[] idle, String model) {
    double[] b = new double[BUCKETS];
    long total = FgdMath.idleSum(idle);
    double l = (double) total;
    for (int t = 0; t < p.length; t++) {
      double pt = p[t];
      boolean cpuFits = cpuLeft >= cpu[t];
      int m = milli[t];
      if (m == 0) {
        b[cpuFits ? XL_SATISFIED : XR_LACK_CPU] += pt * l;
        continue;
      }
      if (!GpuTypes.admits(spec[t], model)) {
        b[NO_ACCESS] += pt * l;
        continue;
      }
      int fitting = 0;
      long small = 0;
      for (int i : idle) {
        if (i >= m) {
          fitting++;
        } else {
          small += i;
        }
      }
      boolean gpuFits = fitting >= count[t];
      if (gpuFits && cpuFits) {
        b[Q2_LACK_GPU] += pt * (double) small;
        b[Q3_SATISFIED] += pt * (double) (total - small);
      } else if (gpuFits) {
        b[Q4_LACK_CPU] += pt * l;
      } else if (cpuFits) {
        b[Q2_LACK_GPU] += pt * l;
      } else {
        b[Q1_LACK_BOTH] += pt * l;
      }
    }
    return b;
  }

  /** F from {@link #buckets}: b0+b1+b3+b4+b5+b6 summed from 0.0 (Q3 excluded). */
  public static double fragOf(double[] b) {
    return 0.0 + b[0] + b[1] + b[3] + b[4] + b[5] + b[6];
  }

  /** Idle milli as the metrics see it: all seven buckets summed from 0.0 in index order. */
  public static double idleOf(double[] b) {
    double s = 0.0;
    for (double x : b) {
      s += x;
    }
    return s;
  }
}
