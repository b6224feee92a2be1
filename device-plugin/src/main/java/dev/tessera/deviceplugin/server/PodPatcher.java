package dev.tessera.deviceplugin.server;

import dev.tessera.engine.codec.PodRef;
import java.util.Map;

/** Write access to the API server for Allocate (hami-compat §8.3 steps 4-6, §8.4). */
public interface PodPatcher {
  /**
   * Merge-patches the pod's annotations ({@code metadata.annotations}); a null value removes the
   * key.
   *
   * @throws RuntimeException when the API server rejects the patch; Allocate then fails
   */
  void patchAnnotations(PodRef pod, Map<String, String> annotations);

  /**
   * Removes the node's {@code hami.io/mutex.lock} if {@code holder} still holds it (§3.4 owner
   * check).
   */
  void releaseNodeLock(String nodeName, PodRef holder);
}
