package dev.tessera.sim.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old content or the complete new one: the content goes
 * to a temporary file in the same directory, which then replaces the target with {@code
 * ATOMIC_MOVE}.
 */
public final class AtomicFiles {
  /** Produces a file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer out) throws IOException;
  }

  private AtomicFiles() {}

  /** Writes {@code content} to {@code target} (UTF-8), replacing it atomically. */
  public static void write(Path target, Content content) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = siblingName(abs, ".tmp");
      // CREATE_NEW with default permissions (Files.createTempFile would make the output 0600)
      try (Writer out =
          new BufferedWriter(
              new OutputStreamWriter(
                  Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW),
                  StandardCharsets.UTF_8),
              1 << 16)) {
        content.writeTo(out);
      }
      move(tmp, abs);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * A fresh hidden name beside {@code target}: {@code .<name>.<random><suffix>}; the random part
   * makes clashes between concurrent writers practically impossible, and CREATE_NEW catches the
   * rest.
   */
  static Path siblingName(Path target, String suffix) {
    return target.resolveSibling(
        "."
            + target.getFileName()
            + "."
            + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
            + suffix);
  }

  /** Creates a fresh directory beside {@code target} with default permissions. */
  static Path createSiblingDirectory(Path target, String suffix) throws IOException {
    return Files.createDirectory(siblingName(target, suffix));
  }

  /** Moves {@code from} onto {@code to} atomically, replacing {@code to} if it is a file. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // Same directory, so this only happens on exotic file systems; a plain replace is the best
      // they offer.
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      if (Files.isDirectory(p)) {
        try (var s = Files.walk(p)) {
          for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(q);
          }
        }
      } else {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // Best effort: a leftover temporary file is harmless and named after its target.
    }
  }
}
