package dev.tessera.policies.facts;

/**
 * Host resources a node still has for new pods, as kube-scheduler's {@code NodeResourcesFit} sees
 * them: allocatable minus the requests of the pods bound to it. HAMi's fit does not look at them;
 * the FGD paper's scores and fragmentation do (policies.md §1, §6.2).
 *
 * @param cpuMilli CPU left, millicores (may be negative on an over-committed node)
 * @param memoryMiB host memory left, MiB
 * @param pods pods bound to the node
 */
public record HostFree(long cpuMilli, long memoryMiB, int pods) {}
