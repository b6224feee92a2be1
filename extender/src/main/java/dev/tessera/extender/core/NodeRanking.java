package dev.tessera.extender.core;

import dev.tessera.engine.model.PodRequest;
import java.util.List;
import java.util.Optional;

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

  /**
   * {@link #evaluate(PodRequest, List)} under the pod's namespace quota (hami-compat §9.2): a node
   * where the pod would exceed it fails with HAMi's quota reason.
   *
   * @param quota the quota of this decision; empty when the namespace has no tracked limit
   */
  List<NodeResult> evaluate(
      PodRequest pod, List<Candidate> candidates, Optional<NamespaceQuota> quota);
}
