package dev.tessera.policies.facts;

import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.PodRequest;
import java.util.Map;

/**
 * The pod's GPU demand as policy rules see it: one fact per decision, summed over every container
 * that asks for GPUs (init containers included).
 *
 * @param pod {@code namespace/name}
 * @param containers containers that ask for at least one GPU
 * @param gpus GPUs asked for in total (Σ count)
 * @param memoryMiB device memory asked for in MiB, Σ count × memory over requests that give an
 *     absolute amount; requests that give a percentage add 0 here (see {@code memoryPercent})
 * @param maxGpuMemoryMiB the largest absolute per-GPU memory ask in MiB; 0 when none
 * @param memoryPercent the largest per-GPU memory ask given as a percentage of the GPU (1..100); 0
 *     when every request gives MiB or nothing
 * @param cores GPU core share asked for in total, Σ count × cores, in percent of one GPU
 * @param annotations the pod's annotations
 */
public record ScoringRequest(
    String pod,
    int containers,
    int gpus,
    long memoryMiB,
    int maxGpuMemoryMiB,
    int memoryPercent,
    long cores,
    Map<String, String> annotations) {
  public ScoringRequest {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** Summarises {@code pod}'s requests. */
  public static ScoringRequest of(PodRequest pod) {
    int containers = 0;
    int gpus = 0;
    long mem = 0;
    int maxMem = 0;
    int pct = 0;
    long cores = 0;
    for (GpuRequest r : pod.requests()) {
      if (r.isEmpty()) {
        continue;
      }
      containers++;
      gpus += r.count();
      cores += (long) r.count() * r.cores();
      if (r.memoryMiB() > 0) {
        mem += (long) r.count() * r.memoryMiB();
        maxMem = Math.max(maxMem, r.memoryMiB());
      } else if (r.memoryPercent() != GpuRequest.PERCENT_UNSET) {
        pct = Math.max(pct, r.memoryPercent());
      }
    }
    return new ScoringRequest(
        pod.key(), containers, gpus, mem, maxMem, pct, cores, pod.annotations());
  }

  /** The annotation's value, or {@code ""} when the pod does not carry it. */
  public String annotation(String key) {
    return annotations.getOrDefault(key, "");
  }
}
