package dev.tessera.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates {@code ../shared} (the references that sit beside the repository). Tests that read it
 * call {@link #require} and are skipped with a clear message when it is absent.
 */
public final class SharedReferences {
  private SharedReferences() {}

  /** The shared directory: {@code -Dtessera.shared}, else {@code <repo root>/../shared}. */
  public static Optional<Path> root() {
    var explicit = System.getProperty("tessera.shared", System.getenv("TESSERA_SHARED"));
    if (explicit != null && !explicit.isBlank()) {
      var p = Path.of(explicit);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    var repo = System.getProperty("tessera.root");
    Path start = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath();
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      var candidate = dir.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("reference"))) {
        return Optional.of(candidate);
      }
      if (Files.isDirectory(dir.resolve("shared").resolve("reference"))) {
        return Optional.of(dir.resolve("shared"));
      }
    }
    return Optional.empty();
  }

  /** Resolves {@code relative} under shared/, or aborts (skips) the calling test. */
  public static Path require(String relative) {
    var root = root();
    Assumptions.assumeTrue(
        root.isPresent(),
        "../shared not found (set -Dtessera.shared=DIR): skipping tests that need " + relative);
    var p = root.get().resolve(relative);
    Assumptions.assumeTrue(Files.exists(p), "shared reference missing: " + p);
    return p;
  }
}
