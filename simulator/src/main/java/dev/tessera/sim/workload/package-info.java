/**
 * Workload preparation for the FGD arrivals experiment: seeded shuffle and tuning of the pods to a
 * ratio of the cluster's GPU capacity (policies.md §7.1–7.2, with Tessera's own seeded draws).
 */
package dev.tessera.sim.workload;
