package dev.tessera.cli;

import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How the server commands run: print where they listen, then block until the JVM is asked to stop
 * (SIGTERM, Ctrl-C), when {@code stop} drains and closes the server before the JVM exits.
 */
final class ServeUntilStopped {
  private ServeUntilStopped() {}

  /**
   * Prints {@code banner} and waits for shutdown.
   *
   * @param name the shutdown thread's name, for thread dumps
   * @return the command's exit code, 0
   */
  static int run(CommandSpec spec, String banner, String name, Runnable stop) {
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.run();
                  stopped.countDown();
                },
                name));
    spec.commandLine().getOut().println(banner);
    spec.commandLine().getOut().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
