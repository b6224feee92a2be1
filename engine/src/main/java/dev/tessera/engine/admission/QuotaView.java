package dev.tessera.engine.admission;

/**
 * The namespace quota state as admission needs it (hami-compat §9). Implemented by the scheduler's
 * quota cache; admission only asks whether a demand fits.
 */
@FunctionalInterface
public interface QuotaView {
  /** A view in which nothing is limited. */
  QuotaView UNLIMITED = (namespace, resource, amount, limitFactor) -> true;

  /**
   * True when {@code namespace} may use {@code amount} more of {@code resource} (MiB for memory,
   * percent for cores): the resource has no explicit limit, or {@code used + amount <= limit ×
   * limitFactor} where the factor applies only when it is greater than 1.
   *
   * @param limitFactor {@code memoryFactor} for the memory resource, 1 otherwise
   */
  boolean fits(String namespace, String resource, long amount, int limitFactor);
}
