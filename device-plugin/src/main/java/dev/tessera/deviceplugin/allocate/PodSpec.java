package dev.tessera.deviceplugin.allocate;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pod being allocated, reduced to what Allocate reads (hami-compat §8.3).
 *
 * @param uid pod UID, used in the per-container cache directory name
 * @param name pod name
 * @param namespace pod namespace
 * @param annotations pod annotations (carries {@code hami.io/vgpu-devices-to-allocate})
 * @param initContainers init containers in spec order
 * @param containers app containers in spec order
 */
public record PodSpec(
    String uid,
    String name,
    String namespace,
    Map<String, String> annotations,
    List<ContainerSpec> initContainers,
    List<ContainerSpec> containers) {
  public PodSpec {
    Objects.requireNonNull(uid, "pod uid");
    Objects.requireNonNull(name, "pod name");
    Objects.requireNonNull(namespace, "pod namespace");
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    initContainers = initContainers == null ? List.of() : List.copyOf(initContainers);
    containers = containers == null ? List.of() : List.copyOf(containers);
  }

  /**
   * The container that annotation entry {@code entryIndex} belongs to: init containers first, then
   * app containers (hami-compat §4.1).
   *
   * @throws AllocateException when the index names no container of this pod
   */
  public ContainerRef containerForEntry(int entryIndex) {
    if (entryIndex >= 0 && entryIndex < initContainers.size()) {
      return new ContainerRef(initContainers.get(entryIndex), true, entryIndex);
    }
    int app = entryIndex - initContainers.size();
    if (app >= 0 && app < containers.size()) {
      return new ContainerRef(containers.get(app), false, entryIndex);
    }
    throw new AllocateException(
        AllocateException.Reason.ENTRY_WITHOUT_CONTAINER,
        "pod "
            + namespace
            + "/"
            + name
            + ": device entry "
            + entryIndex
            + " of "
            + "hami.io/vgpu-devices-to-allocate has no container (pod has "
            + initContainers.size()
            + " init and "
            + containers.size()
            + " app containers)");
  }

  /**
   * The container an annotation entry maps to.
   *
   * @param spec the container
   * @param init whether it is an init container
   * @param entryIndex its index in the annotation (init containers first)
   */
  public record ContainerRef(ContainerSpec spec, boolean init, int entryIndex) {
    public String name() {
      return spec.name();
    }
  }
}
