package dev.tessera.extender.kube;

import dev.tessera.engine.model.Placement;

/**
 * Commits a placement: writes HAMi's pod annotations (hami-compat §4.1, §4.2), then binds the pod
 * to the node.
 */
public interface Binder {
  /**
   * Binds pod {@code namespace/name} with {@code uid} as {@code placement} says.
   *
   * @throws BindException with a message for kube-scheduler's bind result when the pod was not
   *     bound; its booking is then released
   */
  void bind(String namespace, String name, String uid, Placement placement) throws BindException;
}
