package dev.tessera.engine.health;

import java.util.Objects;

/**
 * What the scheduler remembers about one node between health checks (HAMi keeps these per node in
 * the NVIDIA backend).
 *
 * @param reportedGpus the allocatable {@code nvidia.com/gpu} count seen last; 0 when none
 * @param registerAnnotation the raw register annotation seen last; {@code ""} when none
 */
public record NodeHealthMemory(long reportedGpus, String registerAnnotation) {
  /** Memory for a node never seen (or deleted and recreated). */
  public static final NodeHealthMemory NONE = new NodeHealthMemory(0, "");

  public NodeHealthMemory {
    Objects.requireNonNull(registerAnnotation, "registerAnnotation");
  }

  NodeHealthMemory withReportedGpus(long n) {
    return new NodeHealthMemory(n, registerAnnotation);
  }

  NodeHealthMemory withRegisterAnnotation(String a) {
    return new NodeHealthMemory(reportedGpus, a);
  }
}
