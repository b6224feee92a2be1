package dev.tessera.extender.core;

import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.quota.QuotaResources;
import dev.tessera.engine.quota.QuotaState;
import dev.tessera.engine.snapshot.NamespaceUsage;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The quota one scheduling decision applies to a pod (hami-compat §9.2): its namespace's explicit
 * limits and the usage of the snapshot the decision is made on. Immutable; built per decision, so
 * usage never drifts from the snapshot.
 */
public final class NamespaceQuota {
  /**
   * What the outcome of a node evaluation depends on besides the pod and the node (equivalence
   * cache key part): limits, usage and the memory factor, not the namespace's name.
   *
   * @param memLimitMiB explicit memory limit, if set
   * @param coresLimit explicit cores limit, if set
   * @param used the namespace's usage in the snapshot
   * @param memoryFactor config {@code memoryFactor}
   */
  public record Key(
      OptionalLong memLimitMiB, OptionalLong coresLimit, NamespaceUsage used, int memoryFactor) {}

  private final String namespace;
  private final Key key;
  private final QuotaResources resources;

  NamespaceQuota(String namespace, Key key, QuotaResources resources) {
    this.namespace = namespace;
    this.key = key;
    this.resources = resources;
  }

  public String namespace() {
    return namespace;
  }

  public Key key() {
    return key;
  }

  /**
   * The engine's quota cache holding exactly this namespace's limits and usage, for {@code
   * PodPlan.of} and {@code Engine}; a fresh one per call (the engine type is mutable).
   */
  public QuotaState state() {
    var q = new QuotaState(Map.of(GpuRequest.NVIDIA, resources), key.memoryFactor());
    key.memLimitMiB().ifPresent(l -> q.setLimit(namespace, resources.memory(), l));
    key.coresLimit().ifPresent(l -> q.setLimit(namespace, resources.cores(), l));
    q.addUsage(namespace, resources.memory(), key.used().memMiB());
    q.addUsage(namespace, resources.cores(), key.used().cores());
    return q;
  }
}
