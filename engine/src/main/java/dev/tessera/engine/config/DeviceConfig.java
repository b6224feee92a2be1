package dev.tessera.engine.config;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The {@code nvidia:} section of HAMi's {@code device-config.yaml} (ConfigMap {@code
 * hami-scheduler-device}), hami-compat §10.1. Read by the scheduler, the webhook and the device
 * plugin. Memory values are MiB, cores are percent of one GPU.
 *
 * @param resourceCountName resource for the number of GPUs, e.g. {@code nvidia.com/gpu}
 * @param resourceMemoryName resource for memory per GPU in MiB; empty when not configured
 * @param resourceMemoryPercentageName resource for memory per GPU in percent of the card
 * @param resourceCoreName resource for compute per GPU in percent
 * @param resourcePriorityName resource copied into env {@code CUDA_TASK_PRIORITY}
 * @param overwriteEnv webhook sets {@code NVIDIA_VISIBLE_DEVICES=none} on GPU-less containers
 * @param defaultMemory MiB booked when neither memory nor a positive percentage is requested; 0
 *     means 100% of the card
 * @param defaultCores cores percent used when the core resource is absent
 * @param defaultGPUNum GPU count the webhook adds when only memory/cores are set; 0 disables
 * @param memoryFactor multiplier on requested memory and memory quota limits; values {@code <= 1}
 *     mean 1 (see {@link #effectiveMemoryFactor()})
 * @param deviceSplitCount sharing slots per physical GPU (plugin)
 * @param deviceMemoryScaling registered memory = physical memory × this (plugin)
 * @param deviceCoreScaling registered cores = 100 × this (plugin)
 * @param preConfiguredDeviceMemory memory in MiB to register for unified-memory GPUs, when set
 * @param enableNumaTopology plugin reports NUMA nodes
 * @param gpuCorePolicy HAMi-core utilisation policy; the webhook injects it unless empty or {@code
 *     default}
 * @param libCudaLogLevel HAMi-core log level (0 error, 1 warning, 3 info, 4 debug)
 * @param runtimeClassName runtime class the webhook sets on GPU pods; empty for none
 * @param disableCoreLimit plugin sets {@code GPU_CORE_UTILIZATION_POLICY=disable}
 * @param migStrategy {@code none} or {@code mixed} (normally a plugin flag; accepted here too)
 */
public record DeviceConfig(
    String resourceCountName,
    String resourceMemoryName,
    String resourceMemoryPercentageName,
    String resourceCoreName,
    String resourcePriorityName,
    boolean overwriteEnv,
    int defaultMemory,
    int defaultCores,
    int defaultGPUNum,
    int memoryFactor,
    int deviceSplitCount,
    double deviceMemoryScaling,
    double deviceCoreScaling,
    OptionalLong preConfiguredDeviceMemory,
    boolean enableNumaTopology,
    String gpuCorePolicy,
    int libCudaLogLevel,
    String runtimeClassName,
    boolean disableCoreLimit,
    String migStrategy) {

  public DeviceConfig {
    Objects.requireNonNull(resourceCountName, "resourceCountName");
    Objects.requireNonNull(resourceMemoryName, "resourceMemoryName");
    Objects.requireNonNull(resourceMemoryPercentageName, "resourceMemoryPercentageName");
    Objects.requireNonNull(resourceCoreName, "resourceCoreName");
    Objects.requireNonNull(resourcePriorityName, "resourcePriorityName");
    Objects.requireNonNull(preConfiguredDeviceMemory, "preConfiguredDeviceMemory");
    Objects.requireNonNull(gpuCorePolicy, "gpuCorePolicy");
    Objects.requireNonNull(runtimeClassName, "runtimeClassName");
    Objects.requireNonNull(migStrategy, "migStrategy");
  }

  /**
   * HAMi's values when a key is absent from the file (Go zero values): empty resource names, every
   * number 0, {@code memoryFactor} 0 (treated as 1), empty policy and runtime class.
   */
  public static DeviceConfig builtinDefaults() {
    return new DeviceConfig(
        "",
        "",
        "",
        "",
        "",
        false,
        0,
        0,
        0,
        0,
        0,
        0.0,
        0.0,
        OptionalLong.empty(),
        false,
        "",
        0,
        "",
        false,
        "");
  }

  /** The values the HAMi v2.10 Helm chart writes into {@code hami-scheduler-device}. */
  public static DeviceConfig chartDefaults() {
    return new DeviceConfig(
        "nvidia.com/gpu",
        "nvidia.com/gpumem",
        "nvidia.com/gpumem-percentage",
        "nvidia.com/gpucores",
        "nvidia.com/priority",
        false,
        0,
        0,
        1,
        1,
        10,
        1.0,
        1.0,
        OptionalLong.of(0),
        false,
        "default",
        1,
        "",
        false,
        "none");
  }

  /**
   * The multiplier actually applied to memory: {@code memoryFactor}, or 1 when it is {@code <= 1}.
   */
  public int effectiveMemoryFactor() {
    return Math.max(memoryFactor, 1);
  }

  /** True when the webhook must inject {@code GPU_CORE_UTILIZATION_POLICY}. */
  public boolean injectsCorePolicy() {
    return !gpuCorePolicy.isEmpty() && !"default".equals(gpuCorePolicy);
  }

  /** A copy with the five resource names replaced (the webhook and quota tests vary only these). */
  public DeviceConfig withResourceNames(
      String count, String memory, String memoryPercentage, String core, String priority) {
    return new DeviceConfig(
        count,
        memory,
        memoryPercentage,
        core,
        priority,
        overwriteEnv,
        defaultMemory,
        defaultCores,
        defaultGPUNum,
        memoryFactor,
        deviceSplitCount,
        deviceMemoryScaling,
        deviceCoreScaling,
        preConfiguredDeviceMemory,
        enableNumaTopology,
        gpuCorePolicy,
        libCudaLogLevel,
        runtimeClassName,
        disableCoreLimit,
        migStrategy);
  }

  /** A copy with another {@code memoryFactor} (memory requests and limits in larger units). */
  public DeviceConfig withMemoryFactor(int factor) {
    return new DeviceConfig(
        resourceCountName,
        resourceMemoryName,
        resourceMemoryPercentageName,
        resourceCoreName,
        resourcePriorityName,
        overwriteEnv,
        defaultMemory,
        defaultCores,
        defaultGPUNum,
        factor,
        deviceSplitCount,
        deviceMemoryScaling,
        deviceCoreScaling,
        preConfiguredDeviceMemory,
        enableNumaTopology,
        gpuCorePolicy,
        libCudaLogLevel,
        runtimeClassName,
        disableCoreLimit,
        migStrategy);
  }
}
