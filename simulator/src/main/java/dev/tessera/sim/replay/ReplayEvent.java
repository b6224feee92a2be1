package dev.tessera.sim.replay;

/**
 * The cluster metrics after one arrival (policies.md §9.1).
 *
 * @param arrivedMilli A_e, GPU milli of all pods attempted so far (failed ones included)
 * @param allocatedMilli U_e, GPU milli allocated on all nodes
 * @param fragMilli Frag_e, Σ over nodes of F_n, milli-GPU
 * @param idleMilli Idle_e, Σ over nodes of all seven fragmentation buckets, milli-GPU
 * @param placed whether this arrival was placed (false: dropped)
 */
public record ReplayEvent(
    long arrivedMilli, long allocatedMilli, double fragMilli, double idleMilli, boolean placed) {}
