package dev.tessera.deviceplugin.config;

/**
 * One {@code nodeconfig} element of {@code config.json} (hami-compat §10.3). Every field but {@code
 * name} may be null, meaning "keep the device-config value".
 *
 * @param name node name the entry applies to (matched against env {@code NODE_NAME})
 * @param operatingMode {@code hami-core} or {@code mig}
 * @param deviceSplitCount virtual devices per GPU
 * @param deviceMemoryScaling memory oversubscription factor
 * @param deviceCoreScaling compute scaling factor
 * @param preConfiguredDeviceMemory memory to register per GPU, MiB (0 = as reported)
 * @param libCudaLogLevel {@code LIBCUDA_LOG_LEVEL} for containers
 * @param enableNumaTopology whether advertised devices carry their NUMA node
 * @param migStrategy parsed but unused by HAMi (the flag counts)
 * @param filterDevices GPUs to exclude
 * @param enableGetPreferredAllocation kubelet registration option
 */
public record NodeConfigEntry(
    String name,
    String operatingMode,
    Integer deviceSplitCount,
    Double deviceMemoryScaling,
    Double deviceCoreScaling,
    Long preConfiguredDeviceMemory,
    String libCudaLogLevel,
    Boolean enableNumaTopology,
    String migStrategy,
    FilterDevices filterDevices,
    Boolean enableGetPreferredAllocation) {}
