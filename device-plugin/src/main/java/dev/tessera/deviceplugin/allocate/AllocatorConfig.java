package dev.tessera.deviceplugin.allocate;

import java.util.Objects;

/**
 * The effective settings Allocate reads (hami-compat §8.1, §10.1, §10.3, §10.4).
 *
 * @param hookPath env {@code HOOK_PATH}, root of {@code vgpu/} on the host and in containers
 *     (chart: {@code /usr/local})
 * @param pluginVersion version suffix of the shipped {@code libvgpu.so.<version>}
 * @param operatingMode {@code hami-core} or {@code mig}
 * @param deviceMemoryScaling memory oversubscription factor; above 1 sets {@code
 *     CUDA_OVERSUBSCRIBE=true}
 * @param libCudaLogLevel {@code LIBCUDA_LOG_LEVEL}, omitted when empty
 * @param disableCoreLimit sets {@code GPU_CORE_UTILIZATION_POLICY=disable}
 * @param enableGetPreferredAllocation when true (and not MIG), kubelet's device IDs replace the
 *     annotated UUIDs position by position
 * @param gdrcopyEnabled adds {@code NVIDIA_GDRCOPY=enabled}
 * @param gdsEnabled adds {@code NVIDIA_GDS=enabled}
 * @param mofedEnabled adds {@code NVIDIA_MOFED=enabled}
 */
public record AllocatorConfig(
    String hookPath,
    String pluginVersion,
    String operatingMode,
    double deviceMemoryScaling,
    String libCudaLogLevel,
    boolean disableCoreLimit,
    boolean enableGetPreferredAllocation,
    boolean gdrcopyEnabled,
    boolean gdsEnabled,
    boolean mofedEnabled) {
  public static final String MODE_HAMI_CORE = "hami-core";
  public static final String MODE_MIG = "mig";

  public AllocatorConfig {
    Objects.requireNonNull(hookPath, "HOOK_PATH");
    pluginVersion = pluginVersion == null ? "" : pluginVersion;
    operatingMode = operatingMode == null ? MODE_HAMI_CORE : operatingMode;
    libCudaLogLevel = libCudaLogLevel == null ? "" : libCudaLogLevel;
  }

  /** hami-core defaults under {@code hookPath}: no scaling, no log level, nothing optional. */
  public static AllocatorConfig defaults(String hookPath) {
    return new AllocatorConfig(
        hookPath, "", MODE_HAMI_CORE, 1.0, "", false, false, false, false, false);
  }

  public AllocatorConfig withDeviceMemoryScaling(double scaling) {
    return new AllocatorConfig(
        hookPath,
        pluginVersion,
        operatingMode,
        scaling,
        libCudaLogLevel,
        disableCoreLimit,
        enableGetPreferredAllocation,
        gdrcopyEnabled,
        gdsEnabled,
        mofedEnabled);
  }

  public AllocatorConfig withOperatingMode(String mode) {
    return new AllocatorConfig(
        hookPath,
        pluginVersion,
        mode,
        deviceMemoryScaling,
        libCudaLogLevel,
        disableCoreLimit,
        enableGetPreferredAllocation,
        gdrcopyEnabled,
        gdsEnabled,
        mofedEnabled);
  }

  public AllocatorConfig withEnableGetPreferredAllocation(boolean enabled) {
    return new AllocatorConfig(
        hookPath,
        pluginVersion,
        operatingMode,
        deviceMemoryScaling,
        libCudaLogLevel,
        disableCoreLimit,
        enabled,
        gdrcopyEnabled,
        gdsEnabled,
        mofedEnabled);
  }

  public AllocatorConfig withLibCudaLogLevel(String level) {
    return new AllocatorConfig(
        hookPath,
        pluginVersion,
        operatingMode,
        deviceMemoryScaling,
        level,
        disableCoreLimit,
        enableGetPreferredAllocation,
        gdrcopyEnabled,
        gdsEnabled,
        mofedEnabled);
  }

  public AllocatorConfig withDisableCoreLimit(boolean disable) {
    return new AllocatorConfig(
        hookPath,
        pluginVersion,
        operatingMode,
        deviceMemoryScaling,
        libCudaLogLevel,
        disable,
        enableGetPreferredAllocation,
        gdrcopyEnabled,
        gdsEnabled,
        mofedEnabled);
  }

  /** {@code <hookPath>/vgpu}. */
  public String vgpuDir() {
    return hookPath + "/vgpu";
  }
}
