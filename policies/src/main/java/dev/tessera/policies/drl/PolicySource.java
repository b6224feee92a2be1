package dev.tessera.policies.drl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One DRL text and the name errors are reported under (the user's path, or {@code classpath:...}
 * for built-ins).
 *
 * @param name file name as the user knows it, used as the {@code file} of {@code file:line:col}
 * @param drl DRL source text
 */
public record PolicySource(String name, String drl) {
  public PolicySource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(drl, "drl");
  }

  /**
   * Reads a user's DRL file (UTF-8).
   *
   * @throws PolicyCompileException when the file cannot be read, naming the file
   */
  public static PolicySource file(Path path) {
    try {
      return new PolicySource(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new PolicyCompileException(path + ":0:0: no such policy file");
    } catch (IOException e) {
      throw new PolicyCompileException(path + ":0:0: cannot read policy file: " + e.getMessage());
    }
  }

  /**
   * Reads a DRL resource from the class path, e.g. {@code dev/tessera/policies/binpack.drl}.
   *
   * @throws IllegalArgumentException when there is no such resource (a packaging bug)
   */
  public static PolicySource classpath(String resource) {
    try (InputStream in = PolicySource.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no policy resource " + resource + " on the class path");
      }
      return new PolicySource(
          "classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("reading policy resource " + resource, e);
    }
  }
}
