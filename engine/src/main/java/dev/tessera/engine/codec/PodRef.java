package dev.tessera.engine.codec;

import java.util.Objects;
import java.util.Optional;

/** A pod's namespace and name, as HAMi writes it into lock values and log keys. */
public record PodRef(String namespace, String name) {
  public PodRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** {@code namespace + sep + name} (HAMi's {@code GetPodNamespaceName}). */
  public String namespaceName(String sep) {
    return namespace + sep + name;
  }

  /** As {@link #namespaceName}, and {@code ""} for no pod, as HAMi does for a nil pod. */
  public static String namespaceName(Optional<PodRef> pod, String sep) {
    return pod.map(p -> p.namespaceName(sep)).orElse("");
  }
}
