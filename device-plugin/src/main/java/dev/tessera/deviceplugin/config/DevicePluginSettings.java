package dev.tessera.deviceplugin.config;

import java.util.Objects;

/**
 * The device plugin's effective per-node settings: the shared device config (hami-compat §10.1)
 * with this node's {@code config.json} entry applied (§10.3).
 *
 * @param operatingMode {@code hami-core} or {@code mig}
 * @param deviceSplitCount virtual devices advertised per GPU
 * @param deviceMemoryScaling memory oversubscription factor
 * @param deviceCoreScaling compute scaling factor
 * @param preConfiguredDeviceMemory memory to register per GPU, MiB (0 = as reported)
 * @param libCudaLogLevel {@code LIBCUDA_LOG_LEVEL}, empty for none
 * @param enableNumaTopology whether advertised devices carry their NUMA node
 * @param filterDevices GPUs neither advertised nor registered
 * @param enableGetPreferredAllocation kubelet registration option
 */
public record DevicePluginSettings(
    String operatingMode,
    int deviceSplitCount,
    double deviceMemoryScaling,
    double deviceCoreScaling,
    long preConfiguredDeviceMemory,
    String libCudaLogLevel,
    boolean enableNumaTopology,
    FilterDevices filterDevices,
    boolean enableGetPreferredAllocation) {
  public static final String MODE_HAMI_CORE = "hami-core";

  public DevicePluginSettings {
    Objects.requireNonNull(operatingMode, "operatingMode");
    libCudaLogLevel = libCudaLogLevel == null ? "" : libCudaLogLevel;
    filterDevices = filterDevices == null ? FilterDevices.NONE : filterDevices;
  }

  /** The device-config values alone (hami-core, no filter, preferred allocation off). */
  public static DevicePluginSettings of(
      int deviceSplitCount,
      double deviceMemoryScaling,
      double deviceCoreScaling,
      String libCudaLogLevel) {
    return new DevicePluginSettings(
        MODE_HAMI_CORE,
        deviceSplitCount,
        deviceMemoryScaling,
        deviceCoreScaling,
        0,
        libCudaLogLevel,
        false,
        FilterDevices.NONE,
        false);
  }

  /**
   * These settings with the node's entry applied as HAMi's {@code readFromConfigFile} does: every
   * non-null tuning field overrides; the mode is the entry's when non-empty, else {@code
   * hami-core}; {@code filterDevices} only when it lists something; {@code
   * enableGetPreferredAllocation} is the entry's value (absent = false).
   */
  public DevicePluginSettings overriddenBy(NodeConfigEntry e) {
    var filter = e.filterDevices();
    boolean filterListsSomething =
        filter != null && (!filter.uuids().isEmpty() || !filter.indexes().isEmpty());
    return new DevicePluginSettings(
        e.operatingMode() != null && !e.operatingMode().isEmpty()
            ? e.operatingMode()
            : MODE_HAMI_CORE,
        e.deviceSplitCount() != null ? e.deviceSplitCount() : deviceSplitCount,
        e.deviceMemoryScaling() != null ? e.deviceMemoryScaling() : deviceMemoryScaling,
        e.deviceCoreScaling() != null ? e.deviceCoreScaling() : deviceCoreScaling,
        e.preConfiguredDeviceMemory() != null
            ? e.preConfiguredDeviceMemory()
            : preConfiguredDeviceMemory,
        e.libCudaLogLevel() != null ? e.libCudaLogLevel() : libCudaLogLevel,
        e.enableNumaTopology() != null ? e.enableNumaTopology() : enableNumaTopology,
        filterListsSomething ? filter : filterDevices,
        Boolean.TRUE.equals(e.enableGetPreferredAllocation()));
  }

  /** As these settings with {@code operatingMode} replaced. */
  public DevicePluginSettings withOperatingMode(String mode) {
    return new DevicePluginSettings(
        mode,
        deviceSplitCount,
        deviceMemoryScaling,
        deviceCoreScaling,
        preConfiguredDeviceMemory,
        libCudaLogLevel,
        enableNumaTopology,
        filterDevices,
        enableGetPreferredAllocation);
  }
}
