package dev.tessera.cli;

import dev.tessera.cli.io.PodFile;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.policies.drl.CombinedPolicy;
import dev.tessera.policies.drl.PolicyDecider;
import dev.tessera.policies.drl.PolicyRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tessera explain}: every node's verdict for one pod, and the devices it would get. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Show where one pod would be placed on a cluster and why other nodes reject it.",
      "Exit code 0: placed; 1: no node fits; 2: bad input."
    })
final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClusterOption cluster;

  @Mixin DeviceConfigOption deviceConfig;

  @Mixin SchedulerPolicyOptions schedulerPolicies;

  @Option(
      names = "--pod",
      required = true,
      paramLabel = "FILE",
      description = "Kubernetes Pod manifest, YAML or JSON.")
  Path pod;

  @Option(
      names = "--policy",
      split = ",",
      paramLabel = "SPEC",
      description = {
        "Rank fitting nodes with DRL policies instead of HAMi's node policy. Built-in names"
            + " (binpack, spread, gpu-binpack, gpu-spread, topology, ...) and/or DRL files are"
            + " compiled together so their points add up; NAME=WEIGHT entries"
            + " (e.g. fgd=1000,topology=10) score each policy on its own and add the weighted"
            + " totals; a .yaml file is such a weighted spec (docs/policy-authoring.md).",
        "Shows each rule that fired for each node with its points and weight."
      })
  List<String> policies = List.of();

  @Option(names = "--json", description = "Print the decision as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    DeviceConfig config = deviceConfig.load();
    var snapshot = cluster.load();
    var request = PodFile.load(pod).toRequest(config, pod);
    var options = schedulerPolicies.options();
    var engine = new Engine(options);
    Decision decision = engine.decide(request, snapshot);
    PrintWriter out = spec.commandLine().getOut();
    String effectivePolicy = engine.nodePolicy(request);
    if (!policies.isEmpty()) {
      CombinedPolicy policy = new PolicyRegistry().fromArguments(policies);
      PolicyDecision explained = new PolicyDecider(policy, options).decide(request, snapshot);
      if (json) {
        ExplainRenderer.json(out, request, explained);
      } else {
        ExplainRenderer.text(out, request, policy.name(), explained.decision(), true);
        ExplainRenderer.rules(out, explained);
      }
      return explained.decision() instanceof Decision.Placed ? 0 : 1;
    }
    if (json) {
      ExplainRenderer.json(out, request, effectivePolicy, decision);
    } else {
      ExplainRenderer.text(out, request, effectivePolicy, decision);
    }
    return decision instanceof Decision.Placed ? 0 : 1;
  }
}
