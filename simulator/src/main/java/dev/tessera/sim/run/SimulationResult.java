package dev.tessera.sim.run;

import java.util.List;

/**
 * Everything one {@code tessera simulate} invocation produced: the runs of every policy over the
 * same trace, in the order the user listed the policies.
 *
 * @param trace the trace's path or name as given
 * @param mode {@code arrivals} or {@code timed}
 * @param runs one run per policy
 * @param skippedRows bad trace rows skipped with {@code --skip-bad-rows}
 */
public record SimulationResult(String trace, String mode, List<PolicyRun> runs, int skippedRows) {
  public SimulationResult {
    runs = List.copyOf(runs);
  }
}
