package dev.tessera.cli;

import dev.tessera.engine.decision.Engine;
import dev.tessera.policies.plan.DefragPlan;
import dev.tessera.policies.plan.DefragPlanner;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tessera defrag}: which running sharing pods to move to free whole GPUs. */
@Command(
    name = "defrag",
    mixinStandardHelpOptions = true,
    description = {
      "Propose moves of running GPU-sharing pods that free whole GPUs, with the cluster's FGD"
          + " fragmentation before and after (target workload: the running pods).",
      "Moves are listed in an order where each fits once the earlier ones are made.",
      "Exit code 0: plan printed (possibly with no moves); 2: bad input."
    })
final class DefragCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClusterOption cluster;

  @Mixin PlanSearchOptions search;

  @Option(
      names = "--max-moves",
      defaultValue = "5",
      paramLabel = "N",
      description = "Most pods to move (default: ${DEFAULT-VALUE}).")
  int maxMoves;

  @Option(
      names = "--gpu-policy",
      defaultValue = "binpack",
      paramLabel = "POLICY",
      description =
          "GPU policy a moved pod is fitted with; binpack joins GPUs already in use"
              + " (default: ${DEFAULT-VALUE}).")
  String gpuPolicy;

  @Override
  public Integer call() throws Exception {
    if (maxMoves < 0) {
      throw new ParameterException(
          spec.commandLine(), "--max-moves must be 0 or more, got " + maxMoves);
    }
    Duration limit = search.limit(spec);
    var snapshot = cluster.load();
    DefragPlan plan =
        new DefragPlanner(new Engine.Options("binpack", gpuPolicy)).plan(snapshot, maxMoves, limit);
    PrintWriter out = spec.commandLine().getOut();
    if (search.json) {
      PlanRenderer.defragJson(out, plan);
    } else {
      PlanRenderer.defragText(out, plan);
    }
    return 0;
  }
}
