package dev.tessera.sim.bench;

/**
 * The measured latency of one {@link BenchCase}; times in nanoseconds.
 *
 * @param calls measured calls (warm-up excluded)
 * @param p50Nanos median call time
 * @param p90Nanos 90th percentile (nearest rank over the sorted samples)
 * @param p99Nanos 99th percentile
 * @param opsPerSecond calls per second of time spent inside the calls
 * @param checked calls whose answer was compared with the oracle's (0 when the case is unchecked)
 * @param disagreements checked calls that chose another node than the oracle
 * @param firstDisagreement the first such call as {@code step N: got X, oracle Y}, or empty
 */
public record CaseResult(
    BenchCase benchCase,
    long calls,
    long p50Nanos,
    long p90Nanos,
    long p99Nanos,
    double opsPerSecond,
    long checked,
    long disagreements,
    String firstDisagreement) {}
