package dev.tessera.extender.state;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code limits.*} entries of {@code spec.hard} of every ResourceQuota the extender knows
 * (hami-compat §9.1), by namespace and object name, as given (values unparsed: which keys are
 * tracked and how they parse is the decision's business, see {@code QuotaBook}). Fed by the
 * ResourceQuota informer or the snapshot directory. Thread-safe; readers see immutable maps that a
 * change replaces, so a namespace's map is the same object for as long as its quotas are unchanged.
 */
public final class QuotaLimits {
  private static final String LIMITS_PREFIX = "limits.";

  // Replaced whole under this; never modified after publication.
  private volatile Map<String, Map<String, Map<String, String>>> byNamespace = Map.of();

  /**
   * Records (or replaces) ResourceQuota {@code namespace/name} with its {@code spec.hard}; only
   * {@code limits.*} keys are kept.
   *
   * @return true when the tracked entries changed
   */
  public synchronized boolean put(String namespace, String name, Map<String, String> hard) {
    var kept = new TreeMap<String, String>();
    hard.forEach(
        (k, v) -> {
          if (k.startsWith(LIMITS_PREFIX) && v != null) {
            kept.put(k, v);
          }
        });
    Map<String, Map<String, String>> before = byNamespace.getOrDefault(namespace, Map.of());
    if (kept.isEmpty() ? !before.containsKey(name) : kept.equals(before.get(name))) {
      return false;
    }
    var objects = new HashMap<>(before);
    if (kept.isEmpty()) {
      objects.remove(name);
    } else {
      objects.put(name, Map.copyOf(kept));
    }
    install(namespace, objects);
    return true;
  }

  /** Forgets ResourceQuota {@code namespace/name} (deleted): its limits no longer apply. */
  public synchronized void remove(String namespace, String name) {
    Map<String, Map<String, String>> before = byNamespace.get(namespace);
    if (before == null || !before.containsKey(name)) {
      return;
    }
    var objects = new HashMap<>(before);
    objects.remove(name);
    install(namespace, objects);
  }

  /**
   * The quotas of {@code namespace}: object name to its {@code limits.*} entries; empty when none.
   */
  public Map<String, Map<String, String>> objects(String namespace) {
    return byNamespace.getOrDefault(namespace, Map.of());
  }

  /** Namespaces with at least one ResourceQuota carrying a {@code limits.*} entry. */
  public Set<String> namespaces() {
    return byNamespace.keySet();
  }

  private void install(String namespace, Map<String, Map<String, String>> objects) {
    var next = new HashMap<>(byNamespace);
    if (objects.isEmpty()) {
      next.remove(namespace);
    } else {
      next.put(namespace, Map.copyOf(objects));
    }
    byNamespace = Map.copyOf(next);
  }
}
