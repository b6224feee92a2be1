package dev.tessera.extender.kube;

import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.Optional;

/**
 * The live cluster as the extender sees it: registered GPU nodes and every placement the API
 * server shows or this process has assumed but not yet seen written back.
 */
public interface ClusterState {
  /**
   * The current snapshot; never blocks on the API server. Placements assumed with {@link #assume}
   * are in it until the API server shows the pod's annotations, the bind fails ({@link #forget}) or
   * they time out.
   */
  ClusterSnapshot snapshot();

  /** The pod as last seen from the API server, if it exists. */
  Optional<V1Pod> pod(String namespace, String name);

  /** True once the first full list of nodes and pods has been seen. */
  boolean synced();

  /**
   * Books {@code placement} at once, before it is written to the API server, so that the next
   * decision cannot give the same device share away. Repeating the same placement is a no-op; a
   * different placement replaces an earlier assumed one.
   *
   * @throws IllegalStateException when the API server already shows the pod placed differently
   * @throws IllegalArgumentException when the node is not a registered GPU node
   */
  void assume(Placement placement);

  /**
   * Drops the assumed placement of {@code podKey} ({@code namespace/name}), for example after a
   * failed bind. A placement the API server shows stays.
   */
  void forget(String podKey);
}
