package dev.tessera.engine.model;

import java.util.List;

/**
 * Where one pod runs and what it holds: the node and each container's devices (init containers
 * first), exactly what {@code hami.io/vgpu-devices-allocated} records.
 *
 * @param podKey {@code namespace/name}
 * @param uid pod UID (may be empty for simulated pods)
 * @param node node name
 * @param initContainerCount how many leading entries of {@code containers} are init containers
 * @param containers per-container devices
 */
public record Placement(
    String podKey,
    String uid,
    String node,
    int initContainerCount,
    List<List<ContainerDevice>> containers) {
  public Placement {
    containers = containers.stream().map(List::copyOf).toList();
  }

  public String namespace() {
    int slash = podKey.indexOf('/');
    return slash < 0 ? "" : podKey.substring(0, slash);
  }
}
