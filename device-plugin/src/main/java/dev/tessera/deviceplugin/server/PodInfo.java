package dev.tessera.deviceplugin.server;

import dev.tessera.deviceplugin.allocate.PodSpec;
import dev.tessera.engine.codec.PodRef;
import java.util.Objects;

/**
 * A pod as the API server reports it, reduced to what the plugin reads.
 *
 * @param spec uid, name, namespace, annotations and containers
 * @param nodeName {@code spec.nodeName}, empty when unbound
 * @param phase {@code status.phase}, e.g. {@code Pending}
 */
public record PodInfo(PodSpec spec, String nodeName, String phase) {
  public PodInfo {
    Objects.requireNonNull(spec, "spec");
    nodeName = nodeName == null ? "" : nodeName;
    phase = phase == null ? "" : phase;
  }

  public PodRef ref() {
    return new PodRef(spec.namespace(), spec.name());
  }

  /** {@code <namespace>/<name>}, for messages. */
  public String display() {
    return spec.namespace() + "/" + spec.name();
  }
}
