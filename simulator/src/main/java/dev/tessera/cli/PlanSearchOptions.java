package dev.tessera.cli;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --time-limit-seconds} and {@code --json} of the OptaPlanner commands (a mixin). */
final class PlanSearchOptions {
  @Option(
      names = "--time-limit-seconds",
      defaultValue = "10",
      paramLabel = "S",
      description = "Longest search, seconds (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--json", description = "Print the plan as JSON.")
  boolean json;

  /**
   * The search's time limit.
   *
   * @throws ParameterException when {@code --time-limit-seconds} is below 1
   */
  Duration limit(CommandSpec spec) {
    if (seconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--time-limit-seconds must be at least 1, got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }
}
