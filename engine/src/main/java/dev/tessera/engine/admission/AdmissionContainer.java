package dev.tessera.engine.admission;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What admission and request derivation read from one container of a pod spec.
 *
 * @param name container name
 * @param limits {@code resources.limits}: resource name → quantity string, in spec order
 * @param requests {@code resources.requests}: resource name → quantity string, in spec order
 * @param privileged {@code securityContext.privileged}
 */
public record AdmissionContainer(
    String name, Map<String, String> limits, Map<String, String> requests, boolean privileged) {

  public AdmissionContainer {
    Objects.requireNonNull(name, "name");
    // Unmodifiable copies that keep insertion order, so a patch lists limits as the spec does.
    limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
    requests = Collections.unmodifiableMap(new LinkedHashMap<>(requests));
  }

  /** A non-privileged container with the given limits and requests. */
  public static AdmissionContainer of(
      String name, Map<String, String> limits, Map<String, String> requests) {
    return new AdmissionContainer(name, limits, requests, false);
  }

  /**
   * The quantity string of {@code resource}, read from limits first, then requests (HAMi reads
   * every resource this way). An empty resource name is never present.
   */
  public Optional<String> resource(String resource) {
    if (resource.isEmpty()) {
      return Optional.empty();
    }
    String v = limits.get(resource);
    if (v == null) {
      v = requests.get(resource);
    }
    return Optional.ofNullable(v);
  }

  /** True when limits or requests name {@code resource}. */
  public boolean has(String resource) {
    return resource(resource).isPresent();
  }

  /** A copy with {@code extra} added to (or replacing entries of) the limits. */
  public AdmissionContainer withLimits(Map<String, String> extra) {
    var l = new LinkedHashMap<>(limits);
    l.putAll(extra);
    return new AdmissionContainer(name, l, requests, privileged);
  }
}
