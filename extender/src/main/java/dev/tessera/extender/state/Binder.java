package dev.tessera.extender.state;

import dev.tessera.extender.wire.KubePod;
import java.util.Map;

/**
 * Writes a scheduling decision to the cluster: first the HAMi annotations and labels (a JSON merge
 * patch on the pod), then the Binding. Implementations: {@link InMemoryCluster} and the API-backed
 * binder. Both methods throw {@link BindException} with a user-facing message on failure.
 */
public interface Binder {
  /** Merges {@code annotations} and {@code labels} into the pod's metadata. */
  void annotate(KubePod pod, Map<String, String> annotations, Map<String, String> labels);

  /** Binds the pod to {@code node} ({@code POST …/pods/NAME/binding}). */
  void bind(KubePod pod, String node);
}
