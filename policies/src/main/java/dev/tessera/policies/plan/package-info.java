/**
 * OptaPlanner over the engine model: the built-in policies as constraint providers ({@link
 * dev.tessera.policies.plan.PlanPolicies}), all-or-nothing gang placement ({@link
 * dev.tessera.policies.plan.GangPlanner}) and defragmentation plans ({@link
 * dev.tessera.policies.plan.DefragPlanner}). Constraints read only the engine's own fit verdicts,
 * computed per node in batch order ({@link dev.tessera.policies.plan.NodeLoad}), so fit is never
 * re-implemented and pods of one plan share GPUs exactly as the engine allows. See
 * docs/policy-authoring.md.
 */
package dev.tessera.policies.plan;
