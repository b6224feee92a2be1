package dev.tessera.deviceplugin.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates the host directories an Allocate response mounts (hami-compat §8.3 mounts table). */
@FunctionalInterface
public interface HostDirectories {
  /**
   * Makes sure {@code path} exists as a directory writable by every container user (mode 0777).
   *
   * @throws IOException when it cannot be created
   */
  void ensure(String path) throws IOException;

  /** The real filesystem. */
  static HostDirectories local() {
    return path -> {
      Path p = Files.createDirectories(Path.of(path));
      try {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX filesystem (never on a Linux node); the directory exists, which suffices.
      }
    };
  }
}
