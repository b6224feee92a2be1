package dev.tessera.deviceplugin.server;

import dev.tessera.engine.codec.PodRef;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the API server for Allocate (hami-compat §8.3 step 1). Implementations must return
 * fresh data: the plugin re-reads after patching.
 */
public interface PodSource {
  /** The pods with {@code spec.nodeName == nodeName}. */
  List<PodInfo> podsOnNode(String nodeName);

  /** The pod, or empty when it does not exist. */
  Optional<PodInfo> pod(PodRef ref);

  /** The node's {@code hami.io/mutex.lock} value, or empty when unlocked. */
  Optional<String> nodeLock(String nodeName);
}
