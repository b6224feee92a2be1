package dev.tessera.engine.model;

import java.util.OptionalInt;

/**
 * A MIG instance in use on a GPU: which profile, where, and (once the device plugin realised it)
 * its runtime identifiers.
 */
public record MigAllocation(
    String profile,
    MigPlacement placement,
    String migUuid,
    OptionalInt gpuInstanceId,
    OptionalInt computeInstanceId) {
  public static MigAllocation reserved(String profile, MigPlacement placement) {
    return new MigAllocation(profile, placement, "", OptionalInt.empty(), OptionalInt.empty());
  }

  /** True once the device plugin recorded all three runtime identifiers. */
  public boolean runtimeReady() {
    return !migUuid.isEmpty() && gpuInstanceId.isPresent() && computeInstanceId.isPresent();
  }
}
