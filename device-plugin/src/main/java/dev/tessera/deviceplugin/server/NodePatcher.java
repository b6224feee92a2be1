package dev.tessera.deviceplugin.server;

import java.util.Map;

/** Write access to the node object for the register annotation (hami-compat §8.1). */
@FunctionalInterface
public interface NodePatcher {
  /**
   * Merge-patches the node's annotations.
   *
   * @throws RuntimeException when the API server rejects the patch; the writer retries
   */
  void patchNodeAnnotations(String nodeName, Map<String, String> annotations);
}
