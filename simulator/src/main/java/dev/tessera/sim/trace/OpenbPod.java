package dev.tessera.sim.trace;

import java.util.OptionalLong;

/**
 * One row of an openb pod list ({@code name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,
 * pod_phase,creation_time,deletion_time,scheduled_time}). The {@code multigpu} traces have only the
 * first five columns; for them the text fields are empty and the timestamps absent.
 *
 * @param name pod name, {@code openb-pod-NNNN}
 * @param cpuMilli requested CPU, milli-cores
 * @param memoryMib requested memory, MiB
 * @param numGpu GPUs requested (0…8)
 * @param gpuMilli milli per GPU as written (0…1000)
 * @param gpuSpec {@code |}-separated GPU models, empty for no constraint
 * @param qos QoS class as written
 * @param podPhase phase as written
 * @param creationTime creation timestamp, seconds; empty when the cell is empty
 * @param deletionTime deletion timestamp, seconds; empty when the cell is empty
 * @param scheduledTime scheduled timestamp, seconds; empty when the cell is empty
 */
public record OpenbPod(
    String name,
    long cpuMilli,
    long memoryMib,
    int numGpu,
    int gpuMilli,
    String gpuSpec,
    String qos,
    String podPhase,
    OptionalLong creationTime,
    OptionalLong deletionTime,
    OptionalLong scheduledTime) {}
