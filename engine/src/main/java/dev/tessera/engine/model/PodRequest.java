package dev.tessera.engine.model;

import java.util.List;
import java.util.Map;

/**
 * A pod as the scheduler sees it: identity, the annotations that steer placement, and one GPU
 * request per container, init containers first (the container order of HAMi's annotations).
 *
 * @param namespace pod namespace
 * @param name pod name
 * @param uid pod UID
 * @param annotations pod annotations (selectors, policies, weights)
 * @param containerNames names in the same order as {@code requests}
 * @param initContainerCount how many leading entries of {@code requests} are init containers
 * @param requests per-container NVIDIA request; {@link GpuRequest#NONE} for a container without one
 */
public record PodRequest(
    String namespace,
    String name,
    String uid,
    Map<String, String> annotations,
    List<String> containerNames,
    int initContainerCount,
    List<GpuRequest> requests) {
  public PodRequest {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    containerNames = List.copyOf(containerNames);
    requests = List.copyOf(requests);
    if (containerNames.size() != requests.size()) {
      throw new IllegalArgumentException(
          "containerNames has " + containerNames.size() + " entries, requests " + requests.size());
    }
    if (initContainerCount < 0 || initContainerCount > requests.size()) {
      throw new IllegalArgumentException("initContainerCount out of range: " + initContainerCount);
    }
  }

  public String key() {
    return namespace + "/" + name;
  }

  /** True when some container asks for at least one GPU. */
  public boolean wantsGpu() {
    return requests.stream().anyMatch(r -> !r.isEmpty());
  }

  public String annotation(String key) {
    return annotations.getOrDefault(key, "");
  }
}
