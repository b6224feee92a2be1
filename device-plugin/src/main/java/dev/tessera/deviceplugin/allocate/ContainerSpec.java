package dev.tessera.deviceplugin.allocate;

import java.util.Map;
import java.util.Objects;

/**
 * One container of the pod as far as Allocate needs it.
 *
 * @param name container name from the pod spec
 * @param env the container spec's literal env values (name to value); valueFrom entries are absent
 */
public record ContainerSpec(String name, Map<String, String> env) {
  public ContainerSpec {
    Objects.requireNonNull(name, "container name");
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  public static ContainerSpec named(String name) {
    return new ContainerSpec(name, Map.of());
  }
}
