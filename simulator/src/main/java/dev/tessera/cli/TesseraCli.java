package dev.tessera.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tessera} command line: one entry point for every offline and live face. */
@Command(
    name = "tessera",
    mixinStandardHelpOptions = true,
    versionProvider = TesseraCli.Version.class,
    description = "GPU-sharing scheduling policy engine for Kubernetes (HAMi-compatible).",
    subcommands = {
      ExplainCommand.class,
      SimulateCommand.class,
      ConvertCommand.class,
      DevicePluginCommand.class,
      ExtenderCommand.class,
      WebhookCommand.class,
      PlanGangCommand.class,
      DefragCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TesseraCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A configured command line; tests drive it with their own writers. */
  public static CommandLine newCommandLine() {
    return newCommandLine(CommandLine.defaultFactory());
  }

  /**
   * As {@link #newCommandLine()}, with subcommands built by {@code factory} (tests inject fakes).
   */
  public static CommandLine newCommandLine(CommandLine.IFactory factory) {
    var cl = new CommandLine(new TesseraCli(), factory);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          // Bad input is reported as one readable line; a stack trace helps nobody here.
          cmd.getErr().println("tessera: " + ex.getMessage());
          return 2;
        });
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TesseraCli.class.getPackage().getImplementationVersion();
      return new String[] {"tessera " + (v == null ? "development build" : v)};
    }
  }
}
