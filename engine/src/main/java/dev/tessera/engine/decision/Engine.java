package dev.tessera.engine.decision;

import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.fit.Scores;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.quota.QuotaState;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Places one pod: evaluates it on every candidate node with HAMi's node evaluation (hami-compat
 * §7.1) and picks the node its node policy prefers (§7.4). The live extender and the offline tools
 * both call this, so fit and scoring exist once.
 */
public final class Engine {
  /** Reason for a candidate the snapshot does not know (HAMi's text). */
  public static final String NODE_UNREGISTERED = "node unregistered";

  /**
   * Scheduler-wide defaults a pod's annotations may override.
   *
   * @param defaultNodePolicy {@code --node-scheduler-policy}: {@code binpack} or {@code spread}
   * @param defaultGpuPolicy {@code --gpu-scheduler-policy}, e.g. {@code spread}
   */
  public record Options(String defaultNodePolicy, String defaultGpuPolicy) {
    /** HAMi's chart defaults: binpack nodes, spread GPUs. */
    public static final Options DEFAULTS = new Options("binpack", "spread");
  }

  private final Options options;
  private final Optional<QuotaState> quota;

  public Engine(Options options) {
    this(options, Optional.empty());
  }

  public Engine(Options options, Optional<QuotaState> quota) {
    this.options = options;
    this.quota = quota;
  }

  /** The node policy that applies to {@code pod}: its annotation, else the default. */
  public String nodePolicy(PodRequest pod) {
    String p = pod.annotations().get(dev.tessera.engine.codec.Annotations.NODE_SCHEDULER_POLICY);
    return p == null ? options.defaultNodePolicy() : p;
  }

  /** Decides {@code pod} over every node of {@code snapshot}, in snapshot order. */
  public Decision decide(PodRequest pod, ClusterSnapshot snapshot) {
    // every node is known, so evaluate the states directly instead of looking each name up again
    return decideOver(pod, snapshot.nodes(), null);
  }

  /**
   * Decides {@code pod} over {@code candidates} (kube-scheduler's node names). Among fitting nodes
   * binpack takes the highest node score and spread the lowest; equal scores go to the earlier
   * candidate, so the result is deterministic (HAMi leaves ties to goroutine order).
   *
   * @throws dev.tessera.engine.fit.InvalidScoringWeightsException when the pod's {@code
   *     hami.io/device-scoring-weights} is invalid
   */
  public Decision decide(PodRequest pod, ClusterSnapshot snapshot, Collection<String> candidates) {
    List<ClusterSnapshot.NodeState> states = new ArrayList<>(candidates.size());
    for (String name : candidates) {
      states.add(snapshot.node(name).orElse(null));
    }
    return decideOver(pod, states, new ArrayList<>(candidates));
  }

  /**
   * The decision over {@code states}; a {@code null} state is a candidate the snapshot does not
   * know, named by the same position of {@code names} ({@code null} when every state is known).
   */
  private Decision decideOver(
      PodRequest pod, List<ClusterSnapshot.NodeState> states, List<String> names) {
    PodPlan plan = PodPlan.of(pod, options.defaultGpuPolicy(), quota.orElse(null));
    String nodePolicy = nodePolicy(pod);
    List<NodeVerdict> verdicts = new ArrayList<>(states.size());
    NodeVerdict best = null;
    float bestScore = 0;
    for (int i = 0; i < states.size(); i++) {
      ClusterSnapshot.NodeState state = states.get(i);
      if (state == null) {
        verdicts.add(NodeVerdict.rejected(names.get(i), NODE_UNREGISTERED));
        continue;
      }
      String name = state.node().name();
      var outcome = NodeEvaluator.evaluate(plan, state.node(), state.usage());
      NodeVerdict v;
      if (outcome instanceof NodeEvaluator.Placed placed) {
        v = NodeVerdict.fits(name, placed.score(), placed.containers());
        if (best == null || Scores.nodeLess(nodePolicy, bestScore, placed.score())) {
          best = v;
          bestScore = placed.score();
        }
      } else {
        v = NodeVerdict.rejected(name, ((NodeEvaluator.Rejected) outcome).reason());
      }
      verdicts.add(v);
    }
    return best == null
        ? Decision.rejected(verdicts)
        : Decision.placed(best.node(), best.containers(), verdicts);
  }
}
