package dev.tessera.engine.fit;

import dev.tessera.engine.model.ContainerDevice;
import java.util.List;
import java.util.Map;

/**
 * Outcome of Fit for one container request (hami-compat §7.5).
 *
 * @param fits whether enough GPUs were found
 * @param devices the chosen devices in scan order; on failure the partial selection HAMi returns
 * @param reasonCounts per-reason counters of devices passed over (reason name → count)
 * @param reason HAMi's reason string; empty on success
 */
public record FitResult(
    boolean fits, List<ContainerDevice> devices, Map<String, Integer> reasonCounts, String reason) {
  public FitResult {
    devices = List.copyOf(devices);
    reasonCounts = Map.copyOf(reasonCounts);
  }
}
