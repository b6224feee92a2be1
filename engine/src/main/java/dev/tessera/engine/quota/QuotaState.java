package dev.tessera.engine.quota;

import dev.tessera.engine.fit.QuotaGate;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.usage.CollapsedDevice;
import dev.tessera.engine.usage.PodUsage;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The scheduler's per-namespace GPU quota cache (hami-compat §9.1): for each namespace and tracked
 * resource, the usage of its cached pods and the explicit {@code limits.<resource>} of its
 * ResourceQuota. Thread-safe. Usage never drops below 0; an explicit limit of 0 blocks.
 */
public final class QuotaState implements dev.tessera.engine.admission.QuotaView {
  private static final String LIMITS_PREFIX = "limits.";

  private final Map<String, QuotaResources> byVendor;
  private final long memoryFactor;
  private final Map<String, Map<String, Entry>> namespaces = new HashMap<>();

  /**
   * @param byVendor quota resource names per device vendor key (e.g. {@code NVIDIA})
   * @param memoryFactor config {@code memoryFactor}; memory limits are multiplied by it when > 1
   */
  public QuotaState(Map<String, QuotaResources> byVendor, int memoryFactor) {
    this.byVendor = Map.copyOf(byVendor);
    this.memoryFactor = memoryFactor;
  }

  private static final class Entry {
    long used;
    long limit;
    boolean limitSet;
  }

  private Entry entry(String namespace, String resource) {
    return namespaces
        .computeIfAbsent(namespace, k -> new HashMap<>())
        .computeIfAbsent(resource, k -> new Entry());
  }

  /**
   * Sets the explicit limit of {@code resource} (e.g. {@code nvidia.com/gpumem}) in a namespace.
   */
  public synchronized void setLimit(String namespace, String resource, long limit) {
    Entry e = entry(namespace, resource);
    e.limit = limit;
    e.limitSet = true;
  }

  /** Forgets the limit (quota deleted); usage is kept. */
  public synchronized void clearLimit(String namespace, String resource) {
    Entry e = entry(namespace, resource);
    e.limit = 0;
    e.limitSet = false;
  }

  /**
   * Applies a ResourceQuota's {@code spec.hard}: tracks {@code limits.<name>} keys whose name is a
   * vendor's memory or core resource. Non-integral values are skipped, as HAMi does.
   */
  public synchronized void applyResourceQuota(String namespace, Map<String, String> hard) {
    for (var e : hard.entrySet()) {
      if (!e.getKey().startsWith(LIMITS_PREFIX)) {
        continue;
      }
      String resource = e.getKey().substring(LIMITS_PREFIX.length());
      if (!tracked(resource)) {
        continue;
      }
      OptionalLong v = integralQuantity(e.getValue());
      if (v.isPresent()) {
        setLimit(namespace, resource, v.getAsLong());
      }
    }
  }

  /** Adds {@code amount} to the namespace's usage of {@code resource}. */
  public synchronized void addUsage(String namespace, String resource, long amount) {
    Entry e = entry(namespace, resource);
    e.used = Math.max(0, e.used + amount);
  }

  /** Removes {@code amount} from the usage, never below 0. */
  public synchronized void removeUsage(String namespace, String resource, long amount) {
    addUsage(namespace, resource, -amount);
  }

  /** Adds a pod's collapsed usage (§7.10) of {@code vendor} devices to its namespace. */
  public void addPod(
      String namespace, String vendor, List<List<ContainerDevice>> containers, int initCount) {
    podUsage(namespace, vendor, containers, initCount, 1);
  }

  /** Removes a pod's collapsed usage; clamps at 0. */
  public void removePod(
      String namespace, String vendor, List<List<ContainerDevice>> containers, int initCount) {
    podUsage(namespace, vendor, containers, initCount, -1);
  }

  private synchronized void podUsage(
      String namespace, String vendor, List<List<ContainerDevice>> containers, int init, int sign) {
    QuotaResources r = byVendor.get(vendor);
    if (r == null) {
      return;
    }
    long[] t = totals(vendor, containers, init);
    addUsage(namespace, r.memory(), sign * t[0]);
    addUsage(namespace, r.cores(), sign * t[1]);
  }

  /** Current usage of {@code resource} in a namespace (0 when untracked). */
  public synchronized long used(String namespace, String resource) {
    Map<String, Entry> ns = namespaces.get(namespace);
    Entry e = ns == null ? null : ns.get(resource);
    return e == null ? 0 : e.used;
  }

  /** The explicit limit, if one is set. */
  public synchronized OptionalLong limit(String namespace, String resource) {
    Map<String, Entry> ns = namespaces.get(namespace);
    Entry e = ns == null ? null : ns.get(resource);
    return e == null || !e.limitSet ? OptionalLong.empty() : OptionalLong.of(e.limit);
  }

  /**
   * True when {@code memMiB} more memory and {@code cores} more cores of {@code vendor} devices fit
   * the namespace's explicit limits ({@code used + request <= limit}, the memory limit times
   * memoryFactor when that is > 1). Unknown vendors, namespaces and unlimited resources fit.
   */
  public synchronized boolean fitsPod(String namespace, String vendor, long memMiB, long cores) {
    QuotaResources r = byVendor.get(vendor);
    Map<String, Entry> ns = namespaces.get(namespace);
    if (r == null || ns == null) {
      return true;
    }
    return fits(namespace, r.memory(), memMiB, (int) memoryFactor)
        && fits(namespace, r.cores(), cores, 1);
  }

  /**
   * Admission's question (§9.2 rule): fits when {@code resource} has no explicit limit in {@code
   * namespace}, or {@code used + amount <= limit × limitFactor} (the factor only when above 1).
   */
  @Override
  public synchronized boolean fits(
      String namespace, String resource, long amount, int limitFactor) {
    Map<String, Entry> ns = namespaces.get(namespace);
    Entry e = ns == null ? null : ns.get(resource);
    if (e == null || !e.limitSet) {
      return true;
    }
    long limit = limitFactor > 1 ? e.limit * limitFactor : e.limit;
    return e.used + amount <= limit;
  }

  /** True when the namespace has an explicit limit on one of {@code vendor}'s resources. */
  public synchronized boolean limited(String namespace, String vendor) {
    QuotaResources r = byVendor.get(vendor);
    Map<String, Entry> ns = namespaces.get(namespace);
    if (r == null || ns == null) {
      return false;
    }
    Entry m = ns.get(r.memory());
    Entry c = ns.get(r.cores());
    return (m != null && m.limitSet) || (c != null && c.limitSet);
  }

  /**
   * Fit's quota check (§9.2) for one container of a pod: the pod's hypothetical usage is its {@code
   * earlier} containers plus this container's selection and the candidate as the next entry,
   * collapsed per GPU (§7.10) and checked with {@link #fits}.
   *
   * @param earlier devices of the pod's earlier containers, init containers first
   * @param initCount number of init containers of the pod
   */
  public QuotaGate gate(
      String namespace, String vendor, List<List<ContainerDevice>> earlier, int initCount) {
    if (!limited(namespace, vendor)) {
      return QuotaGate.OPEN;
    }
    List<List<ContainerDevice>> before = List.copyOf(earlier);
    return (selected, uuid, memMiB, cores) -> {
      List<ContainerDevice> entry = new java.util.ArrayList<>(selected.size() + 1);
      entry.addAll(selected);
      entry.add(ContainerDevice.of(uuid, vendor, memMiB, cores));
      List<List<ContainerDevice>> hypothetical = new java.util.ArrayList<>(before.size() + 1);
      hypothetical.addAll(before);
      hypothetical.add(entry);
      long[] t = totals(vendor, hypothetical, initCount);
      return fitsPod(namespace, vendor, t[0], t[1]);
    };
  }

  /** Memory and cores a pod holds over all GPUs, collapsed as usage accounting does (§7.10). */
  private static long[] totals(String vendor, List<List<ContainerDevice>> containers, int init) {
    long mem = 0;
    long cores = 0;
    for (var perVendor : PodUsage.collapse(Map.of(vendor, containers), init).values()) {
      for (CollapsedDevice d : perVendor) {
        mem += d.usedMemMiB();
        cores += d.usedCores();
      }
    }
    return new long[] {mem, cores};
  }

  private boolean tracked(String resource) {
    for (QuotaResources r : byVendor.values()) {
      if (r.memory().equals(resource) || r.cores().equals(resource)) {
        return true;
      }
    }
    return false;
  }

  /** A Kubernetes quantity as an integer (Go {@code AsInt64}), or empty when not integral. */
  static OptionalLong integralQuantity(String q) {
    if (q == null) {
      return OptionalLong.empty();
    }
    String s = q.trim();
    String[] suffixes = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E", "m"};
    String[] mult = {
      "1024",
      "1048576",
      "1073741824",
      "1099511627776",
      "1125899906842624",
      "1152921504606846976",
      "1e3",
      "1e6",
      "1e9",
      "1e12",
      "1e15",
      "1e18",
      "1e-3"
    };
    BigDecimal factor = BigDecimal.ONE;
    for (int i = 0; i < suffixes.length; i++) {
      if (s.endsWith(suffixes[i])) {
        factor = new BigDecimal(mult[i]);
        s = s.substring(0, s.length() - suffixes[i].length());
        break;
      }
    }
    try {
      BigDecimal v = new BigDecimal(s).multiply(factor);
      return OptionalLong.of(v.longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      return OptionalLong.empty();
    }
  }
}
