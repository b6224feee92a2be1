package dev.tessera.cli;

import dev.tessera.engine.decision.Engine;
import picocli.CommandLine.Option;

/**
 * {@code --node-policy} and {@code --gpu-policy}, the scheduler's defaults a pod's own annotations
 * override (a picocli mixin).
 */
final class SchedulerPolicyOptions {
  @Option(
      names = "--node-policy",
      defaultValue = "binpack",
      paramLabel = "POLICY",
      description = "Default node policy, binpack or spread (default: ${DEFAULT-VALUE}).")
  String nodePolicy;

  @Option(
      names = "--gpu-policy",
      defaultValue = "spread",
      paramLabel = "POLICY",
      description =
          "Default GPU policy: binpack, spread, topology-aware, mutex, numa or a comma list"
              + " (default: ${DEFAULT-VALUE}).")
  String gpuPolicy;

  /** The engine options the two policies make. */
  Engine.Options options() {
    return new Engine.Options(nodePolicy, gpuPolicy);
  }
}
