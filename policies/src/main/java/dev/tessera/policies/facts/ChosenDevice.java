package dev.tessera.policies.facts;

/**
 * One GPU the engine's fit chose for one container on a node.
 *
 * @param container container index, init containers first
 * @param uuid GPU UUID
 * @param type GPU model as registered, e.g. {@code NVIDIA-NVIDIA A100-SXM4-80GB}
 * @param memMiB device memory the container gets on it, MiB
 * @param cores core share the container gets on it, percent of the GPU
 * @param score HAMi device score (hami-compat §7.3) of the GPU before the pod, for this container's
 *     request: 10 × weighted sum of slot, core and memory ratios
 */
public record ChosenDevice(
    int container, String uuid, String type, int memMiB, int cores, double score) {}
