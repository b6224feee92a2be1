package dev.tessera.engine.fit;

import dev.tessera.engine.codec.Annotations;

/**
 * The pod's {@code hami.io/device-scoring-weights} annotation is malformed. HAMi rejects such a pod
 * in filter (it is never scheduled), so this is a user-facing error, not a fallback to defaults.
 */
public final class InvalidScoringWeightsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String value;

  InvalidScoringWeightsException(String value, String detail) {
    super(Annotations.DEVICE_SCORING_WEIGHTS + " \"" + value + "\": " + detail);
    this.value = value;
  }

  /** The annotation value as the user wrote it. */
  public String value() {
    return value;
  }
}
