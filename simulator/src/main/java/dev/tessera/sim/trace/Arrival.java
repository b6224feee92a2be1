package dev.tessera.sim.trace;

import java.util.OptionalInt;

/**
 * One arrival of the FGD experiment order ({@code arrival-orders-seeds42-51.csv.gz}).
 *
 * @param seq 0-based position in the arrival sequence
 * @param sourcePod the {@code NNNN} of {@code openb-pod-NNNN}, as written
 * @param tunedIndex index of the appended copy made by tuning; empty for an original pod
 */
public record Arrival(int seq, String sourcePod, OptionalInt tunedIndex) {
  /** The name of the pod whose resources this arrival requests, {@code openb-pod-NNNN}. */
  public String sourcePodName() {
    return "openb-pod-" + sourcePod;
  }
}
