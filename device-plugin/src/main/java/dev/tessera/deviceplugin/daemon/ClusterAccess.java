package dev.tessera.deviceplugin.daemon;

import dev.tessera.deviceplugin.server.NodePatcher;
import dev.tessera.deviceplugin.server.PodPatcher;
import dev.tessera.deviceplugin.server.PodSource;
import java.util.Objects;

/**
 * The plugin's view of the API server: pods to read, pods to patch, the node to annotate.
 *
 * @param pods read access for Allocate
 * @param podPatcher pod annotation patches and node-lock release
 * @param nodePatcher node annotation patches (register and score annotations)
 */
public record ClusterAccess(PodSource pods, PodPatcher podPatcher, NodePatcher nodePatcher) {
  public ClusterAccess {
    Objects.requireNonNull(pods, "pods");
    Objects.requireNonNull(podPatcher, "podPatcher");
    Objects.requireNonNull(nodePatcher, "nodePatcher");
  }
}
