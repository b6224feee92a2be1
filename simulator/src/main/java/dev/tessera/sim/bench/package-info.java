/**
 * {@code tessera bench}: a quick latency report of one scheduling decision per path (the plain-Java
 * oracle, the DRL policy, the extender in-process) on the seeded {@link
 * dev.tessera.sim.bench.BenchCluster}, with ratios against the oracle. JMH in {@code benchmarks/}
 * is the precise tool; this is the report a user runs on their own machine.
 */
package dev.tessera.sim.bench;
