package dev.tessera.engine.fit;

import dev.tessera.engine.model.DeviceUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * HAMi's device ordering (hami-compat §7.2) for one GPU policy and numaBind flag. Fit scans the
 * sorted list from the end, so what sorts last is tried first. Build once per pod; {@link #less}
 * does no allocation.
 */
public final class DeviceOrder {
  private static final int BINPACK = 0;
  private static final int SPREAD = 1;
  private static final int NUMA = 2;
  private static final int MUTEX = 3;

  /** Single-policy mode (BINPACK/SPREAD/MUTEX), or -1 for chain mode. */
  private final int single;

  private final boolean numaBind;

  /** Chain-mode sort keys in order; tie-broken by device index. */
  private final int[] keys;

  private DeviceOrder(int single, boolean numaBind, int[] keys) {
    this.single = single;
    this.numaBind = numaBind;
    this.keys = keys;
  }

  /** The ordering for GPU policy {@code policy} (a value or comma list) and numaBind. */
  public static DeviceOrder of(String policy, boolean numaBind) {
    String p = policy == null ? "" : policy;
    if (p.indexOf(',') < 0 && !p.equals("numa")) {
      int mode =
          switch (p) {
            case "binpack" -> BINPACK;
            case "mutex" -> MUTEX;
            default -> SPREAD; // topology-aware, empty and unknown values sort like spread
          };
      return new DeviceOrder(mode, numaBind, new int[0]);
    }
    List<Integer> ks = new ArrayList<>(3);
    for (String raw : p.split(",", -1)) {
      int k =
          switch (raw.trim()) {
            case "binpack" -> BINPACK;
            case "spread" -> SPREAD;
            case "numa" -> NUMA;
            default -> -1; // mutex, topology-aware: filters, not sort keys
          };
      if (k >= 0 && !ks.contains(k)) {
        ks.add(k);
      }
    }
    if (ks.isEmpty()) {
      ks.add(SPREAD);
    }
    if (numaBind && ks.get(0) != NUMA) {
      ks.remove(Integer.valueOf(NUMA));
      ks.add(0, NUMA);
    }
    return new DeviceOrder(-1, numaBind, ks.stream().mapToInt(Integer::intValue).toArray());
  }

  /** HAMi's {@code DeviceUsageList.Less(a, b)} on the fields it reads. */
  public boolean less(
      float scoreA,
      int numaA,
      int indexA,
      int usedA,
      float scoreB,
      int numaB,
      int indexB,
      int usedB) {
    switch (single) {
      case BINPACK:
        if (numaBind) {
          if (numaA != numaB) {
            return numaA > numaB;
          }
          return scoreA < scoreB;
        }
        if (scoreA != scoreB) {
          return scoreA < scoreB;
        }
        return numaA < numaB;
      case SPREAD:
        if (numaBind) {
          if (numaA != numaB) {
            return numaA < numaB;
          }
          return scoreA > scoreB;
        }
        if (scoreA != scoreB) {
          return scoreA > scoreB;
        }
        return numaA < numaB;
      case MUTEX:
        if (usedA != usedB) {
          return usedA > usedB;
        }
        return numaA < numaB;
      default:
        for (int k : keys) {
          switch (k) {
            case BINPACK:
              if (scoreA != scoreB) {
                return scoreA < scoreB;
              }
              break;
            case SPREAD:
              if (scoreA != scoreB) {
                return scoreA > scoreB;
              }
              break;
            default:
              if (numaA != numaB) {
                return numaA < numaB;
              }
          }
        }
        return indexA < indexB;
    }
  }

  /** Less on two scored devices. */
  public boolean less(ScoredDevice a, ScoredDevice b) {
    DeviceUsage x = a.usage();
    DeviceUsage y = b.usage();
    return less(a.score(), x.numa(), x.index(), x.used(), b.score(), y.numa(), y.index(), y.used());
  }

  /** A comparator consistent with {@link #less}, for a stable sort. */
  public Comparator<ScoredDevice> comparator() {
    return (a, b) -> less(a, b) ? -1 : (less(b, a) ? 1 : 0);
  }

  /** A device with its §7.3 score for the container being placed. */
  public record ScoredDevice(DeviceUsage usage, float score) {}
}
