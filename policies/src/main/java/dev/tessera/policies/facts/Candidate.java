package dev.tessera.policies.facts;

/**
 * A per-node fact the scorer ranks: {@link NodeFeatures} for the HAMi policies, {@link FgdFeatures}
 * for the FGD paper's policies. The scorer reads only these two properties; rules read the rest.
 */
public interface Candidate {
  /** Node name, unique among the candidates of one decision. */
  String node();

  /** Whether the engine's fit found devices for the pod on this node. */
  boolean fits();
}
