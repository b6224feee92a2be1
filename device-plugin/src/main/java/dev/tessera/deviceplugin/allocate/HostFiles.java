package dev.tessera.deviceplugin.allocate;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host filesystem checks Allocate makes, behind an interface so planning stays pure and
 * testable.
 */
@FunctionalInterface
public interface HostFiles {
  /** True when a regular file or directory exists at the absolute host path. */
  boolean exists(String path);

  /** The real filesystem. */
  static HostFiles local() {
    return path -> Files.exists(Path.of(path));
  }

  /** A filesystem on which nothing exists (no versioned libvgpu, no license). */
  static HostFiles empty() {
    return path -> false;
  }
}
