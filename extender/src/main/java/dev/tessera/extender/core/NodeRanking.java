package dev.tessera.extender.core;

import dev.tessera.engine.model.PodRequest;
import java.util.List;

/**
 * Evaluates a pod on its candidate nodes: which fit, why the others do not, and how much the policy
 * prefers each fitting node. Implementations must be thread-safe.
 */
public interface NodeRanking {
  /** The policy's name, for logs and {@code /metrics}. */
  String name();

  /**
   * One result per candidate, same order.
   *
   * @throws dev.tessera.engine.fit.InvalidScoringWeightsException when the pod's scoring-weights
   *     annotation is invalid
   */
  List<NodeResult> evaluate(PodRequest pod, List<Candidate> candidates);
}
