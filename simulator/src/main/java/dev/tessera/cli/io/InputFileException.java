package dev.tessera.cli.io;

import java.nio.file.Path;

/**
 * An input file that cannot be used: the message names the file, the place and what was expected.
 */
public final class InputFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputFileException(Path file, String where, String problem) {
    super(file + (where.isEmpty() ? "" : ":" + where) + ": " + problem);
  }

  public InputFileException(Path file, String where, String problem, Throwable cause) {
    super(file + (where.isEmpty() ? "" : ":" + where) + ": " + problem, cause);
  }
}
