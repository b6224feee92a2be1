package dev.tessera.engine.admission;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.model.GpuRequest;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Derives the NVIDIA scheduling request of one container from its resources (HAMi's {@code
 * GenerateResourceRequests}, hami-compat §2.2). Memory is MiB, cores percent of one GPU.
 */
public final class GpuRequests {
  private GpuRequests() {}

  /**
   * The request of {@code c} under {@code config}: {@link GpuRequest#NONE} when the container asks
   * for no NVIDIA GPU, or when its count or memory is not an integral quantity in range (HAMi then
   * treats the container as GPU-less).
   *
   * @throws QuantityException when a value of a configured GPU resource is not a quantity at all
   */
  public static GpuRequest derive(DeviceConfig config, AdmissionContainer c) {
    OptionalLong count = integral(config.resourceCountName(), c);
    Optional<String> countText = c.resource(config.resourceCountName());
    if (countText.isEmpty() || count.isEmpty()) {
      return GpuRequest.NONE;
    }
    // GpuRequest.count is an int; a count beyond it can never be placed, so it is treated like a
    // count that does not convert.
    if (count.getAsLong() > Integer.MAX_VALUE || count.getAsLong() < Integer.MIN_VALUE) {
      return GpuRequest.NONE;
    }
    int nums = (int) count.getAsLong();

    int factor = config.effectiveMemoryFactor();
    long memreq = 0;
    if (c.has(config.resourceMemoryName())) {
      OptionalLong mem = integral(config.resourceMemoryName(), c);
      if (mem.isEmpty() || mem.getAsLong() < 0 || mem.getAsLong() > Integer.MAX_VALUE / factor) {
        return GpuRequest.NONE;
      }
      memreq = mem.getAsLong() * factor;
    }

    int percent = GpuRequest.PERCENT_UNSET;
    OptionalLong pct = integral(config.resourceMemoryPercentageName(), c);
    if (pct.isPresent()) {
      // Clamped on the 64-bit value, so 2^32+50 means 100, not 50.
      long p = Math.min(pct.getAsLong(), 100);
      if (p > 0) {
        percent = (int) p;
      }
    }
    if (percent == GpuRequest.PERCENT_UNSET && memreq == 0) {
      if (config.defaultMemory() != 0) {
        memreq = config.defaultMemory();
      } else {
        percent = 100;
      }
    }

    int cores = config.defaultCores();
    OptionalLong core = integral(config.resourceCoreName(), c);
    if (core.isPresent()) {
      // HAMi converts with int32(n); values beyond 32 bits wrap the same way here.
      cores = (int) core.getAsLong();
    }
    return new GpuRequest(nums, GpuRequest.NVIDIA, (int) memreq, percent, cores);
  }

  /** The int64 value of {@code resource} (limits first), empty when absent or non-integral. */
  static OptionalLong integral(String resource, AdmissionContainer c) {
    Optional<String> v = c.resource(resource);
    if (v.isEmpty()) {
      return OptionalLong.empty();
    }
    return Quantity.parse(resource, v.get()).asInt64();
  }
}
