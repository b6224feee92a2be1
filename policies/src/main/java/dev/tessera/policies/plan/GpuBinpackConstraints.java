package dev.tessera.policies.plan;

import java.math.BigDecimal;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

/**
 * HAMi's GPU binpack as constraints, the mirror of {@code gpu-binpack.drl}: hard, the engine's
 * device fit, which must run with GPU policy {@code binpack} (plans take it from {@link
 * PlanPolicies#options}); soft, each fitting pod earns the mean HAMi device score (0..30 with the
 * default weights) of the GPUs chosen for it, before it, so the node whose chosen GPUs are fullest
 * wins.
 */
public final class GpuBinpackConstraints implements ConstraintProvider {
  public static final String NAME = "gpu-binpack";

  /** Soft constraint name, the DRL rule's sentence. */
  public static final String BUSIER_GPUS =
      "A node whose chosen GPUs are busier scores their mean HAMi device score";

  @Override
  public Constraint[] defineConstraints(ConstraintFactory factory) {
    return new Constraint[] {PlacementStreams.deviceFit(factory), busierGpus(factory)};
  }

  Constraint busierGpus(ConstraintFactory factory) {
    return PlacementStreams.softPerFittingPod(
        factory, BUSIER_GPUS, o -> new BigDecimal(o.placement().deviceScore()));
  }
}
