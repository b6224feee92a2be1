package dev.tessera.sim.run;

import java.util.List;

/**
 * One policy's complete run over one trace.
 *
 * @param policy the policy's name as the user gave it ({@code fgd}, {@code my.drl}, …)
 * @param seed the seed of the run (tuning, shuffle, tie-breaks, Random)
 * @param totalGpus GPUs in the cluster; capacity = 1000 × totalGpus milli
 * @param events every event in processing order
 * @param wallMillis wall-clock time of the run
 */
public record PolicyRun(
    String policy, long seed, int totalGpus, List<SimEvent> events, long wallMillis) {
  public PolicyRun {
    events = List.copyOf(events);
  }

  /** GPU capacity of the cluster, milli-GPU. */
  public long capacityMilli() {
    return 1000L * totalGpus;
  }

  /** The last event, or null for an empty run. */
  public SimEvent last() {
    return events.isEmpty() ? null : events.get(events.size() - 1);
  }
}
