package dev.tessera.sim.trace;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files shipped under the repository's {@code traces/} folder, found from the module directory. */
public final class RepoTraces {
  private RepoTraces() {}

  /** {@code traces/<relative>} of this checkout. */
  public static Path file(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path p = dir.resolve("traces").resolve(relative);
      if (Files.exists(p)) {
        return p;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "traces/" + relative + " not found above the working directory");
  }
}
