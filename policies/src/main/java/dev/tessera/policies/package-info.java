/**
 * Scoring policies: built-in and user DRL rules, their OptaPlanner constraint mirrors, and the
 * loader. Populated by the policy-engine work (see docs/architecture.md).
 */
package dev.tessera.policies;
