package dev.tessera.engine.admission;

import dev.tessera.engine.config.DeviceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The NVIDIA per-container webhook mutation (HAMi's {@code MutateAdmission}, hami-compat §5.2):
 * refuses values that cannot be scheduled as written (HAMi checks only the memory percentage), adds
 * priority and core-policy env, defaults the GPU count and the exclusive core share, and picks the
 * runtime class.
 */
public final class ContainerMutator {
  /** Env var carrying {@code resourcePriorityName} to HAMi-core. */
  public static final String ENV_TASK_PRIORITY = "CUDA_TASK_PRIORITY";

  /** Env var carrying {@code gpuCorePolicy} to HAMi-core. */
  public static final String ENV_CORE_POLICY = "GPU_CORE_UTILIZATION_POLICY";

  /** Env var that hides all GPUs from a GPU-less container when {@code overwriteEnv} is on. */
  public static final String ENV_VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES";

  private final DeviceConfig config;
  private final ImpossibleRequests checks;

  public ContainerMutator(DeviceConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.checks = new ImpossibleRequests(config);
  }

  /**
   * The changes for container {@code c} of a pod whose runtime class is {@code podRuntimeClass}.
   *
   * @throws InvalidResourceException when a GPU resource cannot be scheduled as written: the memory
   *     percentage or cores outside [0, 100] or fractional, a fractional or negative GPU count, a
   *     memory value that is not a MiB count (byte suffixes such as {@code 16Gi}, fractions, beyond
   *     int32), or a share beside {@code nvidia.com/gpu: 0} ({@link ImpossibleRequests})
   * @throws QuantityException when a configured GPU resource's value is not a quantity
   */
  public ContainerMutation mutate(AdmissionContainer c, Optional<String> podRuntimeClass) {
    checks.check(c);

    var env = new ArrayList<EnvVar>();
    var limits = new LinkedHashMap<String, String>();
    String priority =
        present(config.resourcePriorityName(), c.limits().get(config.resourcePriorityName()));
    if (priority != null) {
      env.add(new EnvVar(ENV_TASK_PRIORITY, priority));
    }
    if (config.injectsCorePolicy()) {
      env.add(new EnvVar(ENV_CORE_POLICY, config.gpuCorePolicy()));
    }

    boolean has = inLimits(c, config.resourceCountName());
    if (!has
        && (inLimits(c, config.resourceCoreName())
            || inLimits(c, config.resourceMemoryName())
            || inLimits(c, config.resourceMemoryPercentageName()))
        && config.defaultGPUNum() > 0) {
      limits.put(config.resourceCountName(), Integer.toString(config.defaultGPUNum()));
      has = true;
    }

    AdmissionContainer now = c.withLimits(limits);
    if (now.has(config.resourceCountName())
        && !now.has(config.resourceCoreName())
        && isExclusive(now)) {
      // hami-compat §15 item 9: a bare count means a whole card, cores included.
      limits.put(config.resourceCoreName(), "100");
      has = true;
    }

    Optional<String> runtimeClass = Optional.empty();
    if (has
        && podRuntimeClass.filter(s -> !s.isEmpty()).isEmpty()
        && !config.runtimeClassName().isEmpty()) {
      runtimeClass = Optional.of(config.runtimeClassName());
    }
    if (!has && config.overwriteEnv()) {
      env.add(new EnvVar(ENV_VISIBLE_DEVICES, "none"));
    }
    return new ContainerMutation(has, limits, env, runtimeClass);
  }

  private boolean isExclusive(AdmissionContainer c) {
    Optional<String> pct = c.resource(config.resourceMemoryPercentageName());
    if (pct.isPresent()) {
      OptionalLong v = Quantity.parse(config.resourceMemoryPercentageName(), pct.get()).asInt64();
      if (v.isPresent() && v.getAsLong() == 100) {
        return true;
      }
    }
    if (config.resourceMemoryName().isEmpty()) {
      return true;
    }
    return !c.has(config.resourceMemoryName()) && pct.isEmpty();
  }

  private static boolean inLimits(AdmissionContainer c, String resource) {
    return !resource.isEmpty() && c.limits().containsKey(resource);
  }

  private static String present(String resource, String value) {
    return resource.isEmpty() ? null : value;
  }
}
