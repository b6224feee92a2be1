package dev.tessera.engine.codec;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Values of {@code hami.io/bind-phase} (hami-compat §4.2): the extender writes {@link #ALLOCATING}
 * in bind; the device plugin moves it to {@link #SUCCESS} or {@link #FAILED}.
 */
public enum BindPhase {
  ALLOCATING("allocating"),
  SUCCESS("success"),
  FAILED("failed");

  private final String wire;

  BindPhase(String wire) {
    this.wire = wire;
  }

  /** The annotation value. */
  public String wire() {
    return wire;
  }

  /**
   * Parses an annotation value exactly (case-sensitive, no trimming), as HAMi compares it.
   *
   * @throws AnnotationDecodeException for any other value
   */
  public static BindPhase parse(String value) {
    for (BindPhase p : values()) {
      if (p.wire.equals(value)) {
        return p;
      }
    }
    throw new AnnotationDecodeException(
        Annotations.BIND_PHASE,
        value,
        "one of " + Arrays.stream(values()).map(BindPhase::wire).collect(Collectors.joining(", ")));
  }

  /** True for phases in which the device plugin's fallback pod search accepts the pod. */
  public boolean servableByDevicePlugin() {
    return this == ALLOCATING || this == SUCCESS;
  }
}
