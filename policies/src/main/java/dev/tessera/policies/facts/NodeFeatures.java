package dev.tessera.policies.facts;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What policy rules know about one candidate node for one pod, computed once per node in Java from
 * the engine's fit ({@link dev.tessera.engine.fit.NodeEvaluator}) and the node's GPU usage before
 * the pod. Rules only read it.
 *
 * @param node node name
 * @param fits whether the engine found devices for every container
 * @param reason HAMi's reason when it does not fit, else {@code ""}
 * @param hamiScore HAMi node score (hami-compat §7.4) of the usage before the pod: 10 × (slot +
 *     core + memory ratio), 0..30, higher is busier; computed whether or not the pod fits
 * @param gpuCount GPUs registered on the node
 * @param totalSlots sharing slots, Σ split count
 * @param usedSlots sharing slots in use
 * @param totalMemMiB device memory, MiB
 * @param usedMemMiB device memory in use, MiB
 * @param totalCores core share, percent of one GPU summed over GPUs (100 per GPU)
 * @param usedCores core share in use, same unit
 * @param gpuModels distinct GPU types on the node, in register order
 * @param labels node labels
 * @param chosen devices the fit chose, per container in order; empty when it does not fit
 */
public record NodeFeatures(
    String node,
    boolean fits,
    String reason,
    double hamiScore,
    int gpuCount,
    long totalSlots,
    long usedSlots,
    long totalMemMiB,
    long usedMemMiB,
    long totalCores,
    long usedCores,
    List<String> gpuModels,
    Map<String, String> labels,
    List<ChosenDevice> chosen)
    implements Candidate {
  public NodeFeatures {
    reason = reason == null ? "" : reason;
    gpuModels = List.copyOf(gpuModels);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    chosen = List.copyOf(chosen);
  }

  /** Device memory not in use, MiB. */
  public long freeMemMiB() {
    return totalMemMiB - usedMemMiB;
  }

  /** Core share not in use, percent of one GPU summed over GPUs. */
  public long freeCores() {
    return totalCores - usedCores;
  }

  /** Used / total device memory, 0..1; 0 when the node has none. */
  public double memUtilisation() {
    return ratio(usedMemMiB, totalMemMiB);
  }

  /** Used / total core share, 0..1; 0 when the node has none. */
  public double coreUtilisation() {
    return ratio(usedCores, totalCores);
  }

  /** Used / total sharing slots, 0..1; 0 when the node has none. */
  public double slotUtilisation() {
    return ratio(usedSlots, totalSlots);
  }

  /** Whether some GPU type on the node contains {@code fragment}, ignoring case (e.g. "A100"). */
  public boolean hasModel(String fragment) {
    String f = fragment.toLowerCase(Locale.ROOT);
    for (String m : gpuModels) {
      if (m.toLowerCase(Locale.ROOT).contains(f)) {
        return true;
      }
    }
    return false;
  }

  /** Whether every chosen GPU's type contains {@code fragment}, ignoring case; false if none. */
  public boolean chosenAllModel(String fragment) {
    if (chosen.isEmpty()) {
      return false;
    }
    String f = fragment.toLowerCase(Locale.ROOT);
    for (ChosenDevice d : chosen) {
      if (!d.type().toLowerCase(Locale.ROOT).contains(f)) {
        return false;
      }
    }
    return true;
  }

  /** The label's value, or {@code ""} when the node does not carry it. */
  public String label(String key) {
    return labels.getOrDefault(key, "");
  }

  private static double ratio(long used, long total) {
    return total == 0 ? 0 : (double) used / (double) total;
  }
}
