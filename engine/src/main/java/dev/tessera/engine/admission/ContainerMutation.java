package dev.tessera.engine.admission;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the webhook changes for one container (hami-compat §5.2), as values to apply to the pod.
 *
 * @param hasResource the container asks for an NVIDIA GPU (after defaults were added)
 * @param limitsToAdd resource → quantity string to set in {@code resources.limits}, in the order
 *     HAMi sets them
 * @param envToAdd env vars to append to the container, in order
 * @param runtimeClassName runtime class to set on the pod, when the pod has none and the config
 *     names one
 */
public record ContainerMutation(
    boolean hasResource,
    Map<String, String> limitsToAdd,
    List<EnvVar> envToAdd,
    Optional<String> runtimeClassName) {

  public ContainerMutation {
    limitsToAdd = Collections.unmodifiableMap(new LinkedHashMap<>(limitsToAdd));
    envToAdd = List.copyOf(envToAdd);
    Objects.requireNonNull(runtimeClassName, "runtimeClassName");
  }

  /** True when applying this mutation changes nothing. */
  public boolean isNoop() {
    return limitsToAdd.isEmpty() && envToAdd.isEmpty() && runtimeClassName.isEmpty();
  }

  /** {@code c} with {@link #limitsToAdd} applied. */
  public AdmissionContainer applyTo(AdmissionContainer c) {
    return limitsToAdd.isEmpty() ? c : c.withLimits(limitsToAdd);
  }
}
