package dev.tessera.policies.plan;

import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.NodeFeatures;
import dev.tessera.policies.facts.PlacementFeatures;
import java.math.BigDecimal;
import java.util.List;

/**
 * The engine's verdict for one planned pod on its node, given the node's usage before the batch
 * plus the batch pods fitted there before it. Constraints read only these.
 *
 * @param slot the pod
 * @param node the node it is planned on
 * @param before the node's usage just before this pod, register order
 * @param podsBefore the pods that make up {@code before}
 * @param outcome the engine's node evaluation ({@code Placed} carries the chosen devices and the
 *     HAMi node score of {@code before})
 */
public record PodOutcome(
    PodSlot slot,
    PlanNode node,
    List<DeviceUsage> before,
    List<CachedPod> podsBefore,
    NodeEvaluator.Outcome outcome) {

  /** Whether the engine's fit found devices for every container. */
  public boolean fits() {
    return outcome instanceof NodeEvaluator.Placed;
  }

  /** HAMi's reason when it does not fit, else {@code ""}. */
  public String reason() {
    return outcome instanceof NodeEvaluator.Rejected r ? r.reason() : "";
  }

  /**
   * HAMi node score (hami-compat §7.4) of {@link #before}, 0..30, as the exact value of the float
   * the engine ranks by.
   */
  public BigDecimal hamiScore() {
    float s =
        outcome instanceof NodeEvaluator.Placed p
            ? p.score()
            : dev.tessera.engine.fit.Scores.nodeScore(before);
    return new BigDecimal((double) s);
  }

  /**
   * The devices the engine chose for each container and the node score.
   *
   * @throws IllegalStateException when the pod does not fit
   */
  public NodeEvaluator.Placed placed() {
    if (outcome instanceof NodeEvaluator.Placed p) {
      return p;
    }
    throw new IllegalStateException(slot.pod().key() + " does not fit on " + node.name());
  }

  /**
   * What the DRL policies' {@link PlacementFeatures} say about this pod on its node (mean device
   * score, pair score, NUMA nodes of the chosen GPUs), computed by the same {@link
   * FeatureExtractor#placement} from the usage and pods just before the pod, so the GPU-level
   * constraints and rules can never disagree about them. Zeros when the pod does not fit.
   */
  public PlacementFeatures placement() {
    NodeFeatures features = FeatureExtractor.of(slot.plan(), node.node(), before, outcome);
    return FeatureExtractor.placement(
        new ClusterSnapshot.NodeState(node.node(), podsBefore, before),
        features,
        slot.pod().namespace());
  }

  @Override
  public String toString() {
    return slot.pod().key() + "@" + node.name() + (fits() ? "" : " (" + reason() + ")");
  }
}
