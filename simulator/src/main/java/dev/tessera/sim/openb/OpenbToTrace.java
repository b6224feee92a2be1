package dev.tessera.sim.openb;

import dev.tessera.sim.trace.OpenbNode;
import dev.tessera.sim.trace.OpenbPod;
import dev.tessera.sim.trace.Trace;
import dev.tessera.sim.trace.TraceFormatException;
import dev.tessera.sim.trace.TraceNode;
import dev.tessera.sim.trace.TracePod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps openb CSV rows to Tessera's native trace records (docs/trace-format.md), the form the
 * simulator's event loop consumes.
 *
 * <ul>
 *   <li>Pod: {@code gpu_milli} m per GPU becomes {@code gpuCores = m/10} and {@code
 *       gpuMemoryPercent = m/10} (HAMi's core and memory percentages), so the pod books m/1000 of
 *       each GPU; every openb m is a multiple of 10 and any other value is rejected. A pod with
 *       {@code num_gpu = 0} or {@code gpu_milli = 0} asks for no GPU (policies.md §1). {@code
 *       gpu_spec} {@code A|B} becomes {@code gpuType} {@code A,B} (HAMi's {@code
 *       nvidia.com/use-gputype} list). Creation and deletion times are kept (seconds); an empty
 *       deletion time means the pod never leaves.
 *   <li>Node: {@code model} and {@code gpu} carry over; each GPU's memory comes from {@link
 *       #GPU_MEMORY_MIB} (openb gives none).
 * </ul>
 */
public final class OpenbToTrace {
  /**
   * Device memory per openb GPU model, MiB. V100M16/V100M32, P100, T4 and A10 are the public cards'
   * sizes (T4 as the driver reports it); G2 and G3 are anonymised in the Alibaba data and get 16
   * GiB. With the percentage requests above the value never decides a fit (only cores do), it only
   * scales the memory HAMi books.
   */
  public static final Map<String, Integer> GPU_MEMORY_MIB =
      Map.of(
          "V100M16", 16_384,
          "V100M32", 32_768,
          "P100", 16_384,
          "T4", 15_360,
          "A10", 24_576,
          "G2", 16_384,
          "G3", 16_384);

  /** Memory of a model missing from {@link #GPU_MEMORY_MIB}, MiB. */
  public static final int DEFAULT_GPU_MEMORY_MIB = 16_384;

  private OpenbToTrace() {}

  /**
   * The native trace of openb {@code nodes} and {@code pods} read from {@code podFile}.
   *
   * @throws TraceFormatException when a pod's {@code gpu_milli} is not a multiple of 10
   */
  public static Trace trace(
      Path podFile, List<OpenbNode> nodes, List<OpenbPod> pods, int skippedRows) {
    var tn = new ArrayList<TraceNode>(nodes.size());
    for (OpenbNode n : nodes) {
      tn.add(node(n));
    }
    var tp = new ArrayList<TracePod>(pods.size());
    for (OpenbPod p : pods) {
      tp.add(pod(podFile, p));
    }
    return new Trace("openb:" + podFile, tn, tp, skippedRows);
  }

  /** The native node of an openb node row. */
  public static TraceNode node(OpenbNode n) {
    int mem =
        n.gpuCount() == 0 ? 0 : GPU_MEMORY_MIB.getOrDefault(n.model(), DEFAULT_GPU_MEMORY_MIB);
    return new TraceNode(
        n.name(), n.cpuMilli(), n.memoryMib(), n.model(), n.gpuCount(), mem, Map.of());
  }

  /**
   * The native pod of an openb pod row read from {@code file}.
   *
   * @throws TraceFormatException when {@code gpu_milli} is not a multiple of 10
   */
  public static TracePod pod(Path file, OpenbPod p) {
    int m = Math.max(0, Math.min(1000, p.gpuMilli()));
    boolean gpu = p.numGpu() > 0 && m > 0;
    if (gpu && m % 10 != 0) {
      throw new TraceFormatException(
          file,
          0,
          "gpu_milli",
          "pod "
              + p.name()
              + ": expected a multiple of 10 (HAMi books whole percent of a GPU), got "
              + p.gpuMilli());
    }
    int pct = gpu ? m / 10 : 0;
    return new TracePod(
        p.name(),
        p.cpuMilli(),
        p.memoryMib(),
        gpu ? p.numGpu() : 0,
        0,
        pct,
        pct,
        gpu ? p.gpuSpec().replace('|', ',') : "",
        p.creationTime().isPresent() ? p.creationTime().getAsLong() : 0,
        p.deletionTime().isPresent() ? p.deletionTime().getAsLong() : -1);
  }
}
