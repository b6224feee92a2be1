package dev.tessera.policies.plan;

import dev.tessera.engine.features.BaselineScores;
import dev.tessera.engine.features.FgdNode;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.FgdScore;
import dev.tessera.engine.usage.CachedPod;
import java.util.HashSet;

/**
 * The FGD paper's node scores (engine {@code features}) of one planned pod on its node, read
 * through {@link FgdView} from the usage just before the pod. Each is in [0,100]; the engine's
 * "does not fit" value (−1), which can only arise when FGD's milli-GPU view is stricter than the
 * HAMi fit that already admitted the pod, counts as 0.
 */
public final class FgdPoints {
  private FgdPoints() {}

  private static FgdNode node(PodOutcome o) {
    return FgdView.node(o.node().node(), o.before());
  }

  private static FgdPod pod(PodOutcome o) {
    return FgdView.pod(o.slot().plan().requests(), o.slot().plan().initCount(), o.before());
  }

  /** FGD (§6.3): trunc(100·σ((F_before − F_after)/1000)) against the plan's target workload. */
  public static int fgd(PodOutcome o) {
    return Math.max(0, FgdScore.score(o.node().context().requireFragmentation(), node(o), pod(o)));
  }

  /**
   * BestFit (§5.5) before min-max normalisation: normalising is order-preserving over one pod's
   * candidates, but a plan adds scores of many pods, where the raw score is the meaningful one.
   */
  public static int bestFit(PodOutcome o) {
    FgdNode n = node(o);
    return Math.max(0, BaselineScores.bestFitRaw(n.cpuMilliLeft(), n.idleTotal(), pod(o)));
  }

  /** DotProd (§5.2). */
  public static int dotProduct(PodOutcome o) {
    FgdNode n = node(o);
    return BaselineScores.dotProduct(n.cpuMilliLeft(), n.idleTotal(), pod(o));
  }

  /** GpuPacking (§5.4). */
  public static int gpuPacking(PodOutcome o) {
    return BaselineScores.gpuPacking(node(o).gpuMilliLeft(), pod(o));
  }

  /** GpuClustering (§5.3): tags of the pods already on the node, batch pods before it included. */
  public static int gpuClustering(PodOutcome o) {
    FgdPod pod = pod(o);
    var tags = new HashSet<String>();
    for (CachedPod p : o.podsBefore()) {
      String t = FgdView.pod(p, o.before()).gpuTag();
      if (!t.isEmpty()) {
        tags.add(t);
      }
    }
    return BaselineScores.gpuClustering(
        node(o).idleTotal(), tags.contains(pod.gpuTag()), tags.size(), pod);
  }
}
