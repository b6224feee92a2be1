package dev.tessera.extender.volcano;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.core.NodeResult;
import dev.tessera.extender.core.Priorities;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.volcano.VolcanoWire.PredicateRequest;
import dev.tessera.extender.volcano.VolcanoWire.PredicateResponse;
import dev.tessera.extender.volcano.VolcanoWire.PrioritizeRequest;
import dev.tessera.extender.volcano.VolcanoWire.PrioritizeResponse;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.extender.wire.WireException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Volcano's predicate and prioritize verbs over the kube-scheduler extender's decisions ({@link
 * Extender#evaluate}): predicate is filter for one task on one node, with the very reason text
 * filter puts in {@code FailedNodes}; prioritize is prioritize's 0..10 score times 10. Independent
 * of HTTP; thread-safe.
 */
public final class VolcanoExtender {
  /**
   * The highest score prioritize gives, kube-scheduler's {@code MaxNodeScore}. Volcano has no
   * extender weight and adds the score as is to its other plugins' node scores, which run 0..100
   * times their weight; 0..100 is what a kube-scheduler extender of weight 1 contributes.
   */
  public static final double MAX_SCORE = 100;

  private static final double SCALE = MAX_SCORE / HostPriority.MAX;

  private final Extender extender;
  private final ExtenderMetrics metrics;

  public VolcanoExtender(Extender extender, ExtenderMetrics metrics) {
    this.extender = extender;
    this.metrics = metrics;
  }

  /**
   * Whether the task's pod fits the node. A pod asking for no GPU resource Tessera manages passes.
   *
   * @throws WireException naming the field when the pod is malformed
   * @throws dev.tessera.engine.fit.InvalidScoringWeightsException when the pod's scoring-weights
   *     annotation is invalid
   */
  public PredicateResponse predicate(PredicateRequest request) {
    Optional<List<NodeResult>> results = evaluate(request.pod(), List.of(request.node()), false);
    if (results.isEmpty()) {
      return PredicateResponse.PASS;
    }
    NodeResult r = results.get().get(0);
    if (r.feasible()) {
      return PredicateResponse.PASS;
    }
    metrics.filteredOut(r.reason());
    return PredicateResponse.reject(
        r.reason(),
        r.outcome() == NodeResult.Outcome.UNRESOLVABLE
            ? VolcanoWire.CODE_UNSCHEDULABLE_AND_UNRESOLVABLE
            : VolcanoWire.CODE_UNSCHEDULABLE);
  }

  /**
   * A score per node, 0..{@link #MAX_SCORE}, in request order; 0 for nodes the pod does not fit and
   * for every node when the pod asks for no managed GPU resource. Holds the pod on its best node,
   * as kube-scheduler's prioritize does, so the next task of the session sees those GPUs taken.
   *
   * @throws WireException naming the field when the pod is malformed
   * @throws dev.tessera.engine.fit.InvalidScoringWeightsException when the pod's scoring-weights
   *     annotation is invalid
   */
  public PrioritizeResponse prioritize(PrioritizeRequest request) {
    Optional<List<NodeResult>> results = evaluate(request.pod(), request.nodes(), true);
    var scores = new LinkedHashMap<String, Double>();
    if (results.isEmpty()) {
      request.names().forEach(n -> scores.put(n, 0.0));
    } else {
      for (HostPriority p : Priorities.map(results.get())) {
        scores.put(p.host(), p.score() * SCALE);
      }
    }
    return new PrioritizeResponse(scores, "");
  }

  private Optional<List<NodeResult>> evaluate(JsonNode pod, List<JsonNode> nodes, boolean hold) {
    try {
      return extender.evaluate(pod, nodes, hold);
    } catch (WireException e) {
      // The pod came as task.Pod; say so, so the field can be found in the request.
      throw new WireException("task." + e.getMessage(), e);
    }
  }
}
