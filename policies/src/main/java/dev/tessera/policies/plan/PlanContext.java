package dev.tessera.policies.plan;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.Fragmentation;
import java.util.Optional;

/**
 * What every constraint of one plan shares: the engine's scheduler-wide defaults (the GPU policy
 * decides which devices the fit chooses) and, for the FGD-family policies and defragmentation, the
 * fragmentation measure compiled from the target workload.
 *
 * @param options scheduler-wide defaults, as {@code Engine.decide} gets them
 * @param fragmentation FGD fragmentation against the target workload; empty when no constraint of
 *     the plan reads it
 * @param seed the {@code random} policy's seed: batch pod {@code i} draws its node with {@code
 *     RandomConstraints.drawn(seed + i, candidates)}
 */
public record PlanContext(
    Engine.Options options, Optional<Fragmentation> fragmentation, long seed) {
  public PlanContext {
    fragmentation = fragmentation == null ? Optional.empty() : fragmentation;
  }

  /** A context with seed 0, for every policy but {@code random}. */
  public PlanContext(Engine.Options options, Optional<Fragmentation> fragmentation) {
    this(options, fragmentation, 0L);
  }

  /** A context without a target workload, for the HAMi node policies. */
  public static PlanContext of(Engine.Options options) {
    return new PlanContext(options, Optional.empty());
  }

  /**
   * The fragmentation measure.
   *
   * @throws IllegalStateException when the plan was built without a target workload
   */
  public Fragmentation requireFragmentation() {
    return fragmentation.orElseThrow(
        () ->
            new IllegalStateException(
                "this plan has no target workload; FGD-family constraints need one"));
  }
}
