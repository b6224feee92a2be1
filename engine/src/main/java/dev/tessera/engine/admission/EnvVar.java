package dev.tessera.engine.admission;

import java.util.Objects;

/** One container environment variable the webhook adds ({@code name=value}). */
public record EnvVar(String name, String value) {
  public EnvVar {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
