package dev.tessera.sim.trace;

/**
 * One row of an openb node list ({@code sn,cpu_milli,memory_mib,gpu,model}).
 *
 * @param name node name ({@code sn})
 * @param cpuMilli CPU capacity, milli-cores
 * @param memoryMib memory capacity, MiB
 * @param gpuCount number of GPUs
 * @param model GPU model, empty when the node has none
 */
public record OpenbNode(String name, long cpuMilli, long memoryMib, int gpuCount, String model) {}
