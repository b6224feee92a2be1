package dev.tessera.extender.core;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.quota.QuotaResources;
import dev.tessera.engine.quota.QuotaState;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.engine.snapshot.NamespaceUsage;
import dev.tessera.extender.state.QuotaLimits;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ResourceQuotas a {@link QuotaLimits} holds as HAMi does (hami-compat §9.1): only {@code
 * limits.<memory resource>} and {@code limits.<core resource>} of the config count, values must be
 * integral (others are skipped with a logged reason naming the object and key), an explicit 0
 * blocks. Several quotas in one namespace all apply (the smallest limit wins, as the API server's
 * own quota admission requires every quota to hold). Usage is never kept here: each decision reads
 * it from the snapshot it decides on ({@link ClusterSnapshot#namespaceUsage}). Thread-safe.
 */
public final class QuotaBook {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaBook.class);

  private final QuotaLimits source;
  private final QuotaResources resources;
  private final int memoryFactor;

  /** Parsed limits per namespace, valid while the source's map for it is the same object. */
  private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

  private record Parsed(
      Map<String, Map<String, String>> objects, OptionalLong memMiB, OptionalLong cores) {}

  /** Limits from {@code source}; resource names and {@code memoryFactor} from {@code config}. */
  public QuotaBook(QuotaLimits source, DeviceConfig config) {
    this.source = source;
    this.resources = new QuotaResources(config.resourceMemoryName(), config.resourceCoreName());
    this.memoryFactor = config.memoryFactor();
  }

  /**
   * The quota a decision for a pod of {@code namespace} on {@code snapshot} applies; empty when the
   * namespace has no explicit limit on a tracked resource (every node then fits as far as quotas
   * go).
   */
  public Optional<NamespaceQuota> forDecision(String namespace, ClusterSnapshot snapshot) {
    Parsed p = limits(namespace);
    if (p == null) {
      return Optional.empty();
    }
    return Optional.of(
        new NamespaceQuota(
            namespace,
            new NamespaceQuota.Key(
                p.memMiB(), p.cores(), snapshot.namespaceUsage(namespace), memoryFactor),
            resources));
  }

  /**
   * Registers {@code tessera_quota_limit{namespace,resource}} (the explicit limit, before
   * memoryFactor) and {@code tessera_quota_used{namespace,resource}} (usage in {@code snapshot} at
   * scrape time) for every namespace with a tracked limit.
   */
  public void registerMetrics(PrometheusRegistry registry, Supplier<ClusterSnapshot> snapshot) {
    GaugeWithCallback.builder()
        .name("tessera_quota_limit")
        .help("Explicit GPU quota limit per namespace and resource (ResourceQuota limits.*).")
        .labelNames("namespace", "resource")
        .callback(
            cb ->
                each(
                    (ns, p) -> {
                      p.memMiB().ifPresent(l -> cb.call(l, ns, resources.memory()));
                      p.cores().ifPresent(l -> cb.call(l, ns, resources.cores()));
                    }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tessera_quota_used")
        .help("GPU quota usage per namespace and resource: its placed pods' share in the snapshot.")
        .labelNames("namespace", "resource")
        .callback(
            cb -> {
              ClusterSnapshot s = snapshot.get();
              each(
                  (ns, p) -> {
                    NamespaceUsage u = s.namespaceUsage(ns);
                    cb.call(u.memMiB(), ns, resources.memory());
                    cb.call(u.cores(), ns, resources.cores());
                  });
            })
        .register(registry);
  }

  private void each(java.util.function.BiConsumer<String, Parsed> action) {
    for (String ns : new java.util.TreeSet<>(source.namespaces())) {
      Parsed p = limits(ns);
      if (p != null) {
        action.accept(ns, p);
      }
    }
  }

  /** The namespace's parsed limits, or null when it has no explicit tracked limit. */
  private Parsed limits(String namespace) {
    Map<String, Map<String, String>> objects = source.objects(namespace);
    if (objects.isEmpty()) {
      if (!parsed.isEmpty()) {
        parsed.remove(namespace);
      }
      return null;
    }
    Parsed p = parsed.get(namespace);
    if (p == null || p.objects() != objects) {
      p = parse(namespace, objects);
      parsed.put(namespace, p);
    }
    return p.memMiB().isEmpty() && p.cores().isEmpty() ? null : p;
  }

  private Parsed parse(String namespace, Map<String, Map<String, String>> objects) {
    OptionalLong mem = OptionalLong.empty();
    OptionalLong cores = OptionalLong.empty();
    for (var o : new TreeMap<>(objects).entrySet()) {
      // The engine's own parser decides what counts (integral quantities of tracked resources).
      var probe = new QuotaState(Map.of(GpuRequest.NVIDIA, resources), memoryFactor);
      probe.applyResourceQuota(namespace, o.getValue());
      mem = tighter(mem, read(probe, namespace, o.getKey(), o.getValue(), resources.memory()));
      cores = tighter(cores, read(probe, namespace, o.getKey(), o.getValue(), resources.cores()));
    }
    return new Parsed(objects, mem, cores);
  }

  private static OptionalLong read(
      QuotaState probe, String namespace, String name, Map<String, String> hard, String resource) {
    String key = "limits." + resource;
    String value = hard.get(key);
    if (value == null) {
      return OptionalLong.empty();
    }
    OptionalLong limit = probe.limit(namespace, resource);
    if (limit.isEmpty()) {
      LOG.warn(
          "ResourceQuota {}/{}: spec.hard[\"{}\"] = \"{}\" is not an integral quantity; ignored,"
              + " as HAMi does",
          namespace,
          name,
          key,
          value);
    }
    return limit;
  }

  private static OptionalLong tighter(OptionalLong a, OptionalLong b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
  }
}
