package dev.tessera.sim.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Times a {@link BenchCase} with {@link System#nanoTime} around each call: a warm-up whose calls
 * are discarded, then calls until the measuring time is spent (at least one). The comparison with
 * the oracle's answer happens outside the timed span.
 */
public final class CaseTimer {
  private final Duration warmup;
  private final Duration measure;

  /**
   * @param warmup time spent calling before measuring, so the JIT and warm caches settle
   * @param measure time spent measuring
   */
  public CaseTimer(Duration warmup, Duration measure) {
    if (warmup.isNegative() || measure.isNegative()) {
      throw new IllegalArgumentException("times must be >= 0: " + warmup + ", " + measure);
    }
    this.warmup = warmup;
    this.measure = measure;
  }

  /** Measures {@code c}. */
  public CaseResult time(BenchCase c) {
    int step = 0;
    long warmEnd = System.nanoTime() + warmup.toNanos();
    while (System.nanoTime() < warmEnd) {
      c.call().decide(step);
      step = (step + 1) % c.steps();
    }
    long[] samples = new long[1 << 12];
    int n = 0;
    long checked = 0;
    long disagreements = 0;
    String first = "";
    long end = System.nanoTime() + measure.toNanos();
    while (true) {
      long t0 = System.nanoTime();
      Optional<String> got = c.call().decide(step);
      long t1 = System.nanoTime();
      if (n == samples.length) {
        samples = Arrays.copyOf(samples, n * 2);
      }
      samples[n++] = t1 - t0;
      if (c.checked()) {
        checked++;
        Optional<String> want = c.expected().get(step);
        if (!got.equals(want)) {
          if (disagreements == 0) {
            first =
                "step " + step + ": got " + got.orElse("none") + ", oracle " + want.orElse("none");
          }
          disagreements++;
        }
      }
      step = (step + 1) % c.steps();
      if (t1 >= end) {
        break;
      }
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    long total = 0;
    for (long s : sorted) {
      total += s;
    }
    double ops = total == 0 ? 0 : n * 1e9 / total;
    return new CaseResult(
        c,
        n,
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 99),
        ops,
        checked,
        disagreements,
        first);
  }

  /** Nearest-rank percentile {@code p} (1–100) of ascending {@code sorted}, which is not empty. */
  static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
