package dev.tessera.policies.plan;

import java.math.BigDecimal;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * HAMi's GPU spread as constraints, the mirror of {@code gpu-spread.drl}: hard, the engine's device
 * fit, which must run with GPU policy {@code spread} (plans take it from {@link
 * PlanPolicies#options}); soft, each fitting pod earns minus the mean HAMi device score of the GPUs
 * chosen for it, before it, so the node whose chosen GPUs are idlest wins.
 */
public final class GpuSpreadConstraints implements ConstraintProvider {
  public static final String NAME = "gpu-spread";

  /** Soft constraint name, the DRL rule's sentence. */
  public static final String IDLER_GPUS =
      "A node whose chosen GPUs are idler scores minus their mean HAMi device score";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {PlacementStreams.deviceFit(factory), idlerGpus(factory)};
  }

  Constraint idlerGpus(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(
        factory, IDLER_GPUS, o -> new BigDecimal(-o.placement().deviceScore()));
  }
}
