package dev.tessera.cli;

import dev.tessera.cli.io.PodFile;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.policies.plan.GangPlanner;
import dev.tessera.policies.plan.PlanPolicies;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tessera plan-gang}: place N copies of a pod all-or-nothing with OptaPlanner. */
@Command(
    name = "plan-gang",
    mixinStandardHelpOptions = true,
    description = {
      "Place a gang of pods (N replicas of one pod) all-or-nothing: every replica gets a node and"
          + " devices, sharing GPUs only as far as the engine's fit allows, or none is placed.",
      "Exit code 0: placed; 1: the gang does not fit; 2: bad input."
    })
final class PlanGangCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClusterOption cluster;

  @Mixin PlanSearchOptions search;

  @Mixin DeviceConfigOption deviceConfig;

  @Option(
      names = "--pod",
      required = true,
      paramLabel = "FILE",
      description = "Kubernetes Pod manifest, YAML or JSON: the gang's pod template.")
  Path pod;

  @Option(
      names = "--replicas",
      defaultValue = "1",
      paramLabel = "N",
      description = "Pods in the gang, named <name>-0 … <name>-(N-1) (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(
      names = "--policy",
      defaultValue = "binpack",
      paramLabel = "NAME",
      description =
          "Constraint policy: binpack, spread, fgd, bestfit, dotprod, gpu-packing or"
              + " gpu-clustering (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(
      names = "--gpu-policy",
      defaultValue = "spread",
      paramLabel = "POLICY",
      description = "Default GPU policy for choosing devices (default: ${DEFAULT-VALUE}).")
  String gpuPolicy;

  @Override
  public Integer call() throws Exception {
    if (replicas < 1) {
      throw new ParameterException(
          spec.commandLine(), "--replicas must be at least 1, got " + replicas);
    }
    Duration limit = search.limit(spec);
    if (!PlanPolicies.names().contains(policy)) {
      throw new ParameterException(
          spec.commandLine(),
          "--policy " + policy + " is not one of " + String.join(", ", PlanPolicies.names()));
    }
    DeviceConfig config = deviceConfig.load();
    var snapshot = cluster.load();
    PodRequest template = PodFile.load(pod).toRequest(config, pod);
    var pods = new ArrayList<PodRequest>(replicas);
    for (int i = 0; i < replicas; i++) {
      pods.add(replicas == 1 ? template : replica(template, i));
    }
    var planner = new GangPlanner(new Engine.Options("binpack", gpuPolicy), Optional.empty());
    Optional<List<Placement>> placed = planner.plan(pods, snapshot, policy, limit);
    PrintWriter out = spec.commandLine().getOut();
    if (search.json) {
      PlanRenderer.gangJson(out, replicas, policy, placed);
    } else {
      PlanRenderer.gangText(out, replicas, policy, placed);
    }
    return placed.isPresent() ? 0 : 1;
  }

  private static PodRequest replica(PodRequest t, int i) {
    return new PodRequest(
        t.namespace(),
        t.name() + "-" + i,
        t.uid().isEmpty() ? "" : t.uid() + "-" + i,
        t.annotations(),
        t.containerNames(),
        t.initContainerCount(),
        t.requests());
  }
}
