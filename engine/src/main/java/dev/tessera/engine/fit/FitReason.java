package dev.tessera.engine.fit;

import java.util.LinkedHashMap;
import java.util.Map;

/** Why Fit passed over a device (hami-compat §6.3, §7.5); names are HAMi's wire strings. */
public enum FitReason {
  CardNotHealth,
  CardCordoned,
  CardTypeMismatch,
  NumaNotFit,
  CardUuidMismatch,
  CardTimeSlicingExhausted,
  ExclusiveDeviceAllocateConflict,
  ResourceQuotaNotFit,
  CardInsufficientMemory,
  CardInsufficientCore,
  CardComputeUnitsExhausted,
  CardMigTopologyInfeasible,
  CardNotFoundCustomFilterRule,
  AllocatedCardsInsufficientRequest;

  private static final FitReason[] ALL = values();

  /**
   * HAMi's reason string: {@code "<count>/<total> <Reason>"} for each non-zero counter, the parts
   * sorted as plain strings and joined with {@code ", "}; empty when every counter is 0.
   *
   * @param counts counters indexed by {@link #ordinal()}
   * @param total devices examined (the denominator)
   */
  public static String format(int[] counts, int total) {
    String[] parts = new String[ALL.length];
    int n = 0;
    String suffix = null;
    for (FitReason r : ALL) {
      int c = counts[r.ordinal()];
      if (c > 0) {
        if (suffix == null) {
          suffix = "/" + total + " ";
        }
        String part = c + suffix + r.name();
        // insertion sort by String order: at most 14 parts, no list or comparator objects
        int j = n++;
        while (j > 0 && parts[j - 1].compareTo(part) > 0) {
          parts[j] = parts[j - 1];
          j--;
        }
        parts[j] = part;
      }
    }
    if (n == 0) {
      return "";
    }
    if (n == 1) {
      return parts[0];
    }
    StringBuilder sb = new StringBuilder(n * 32);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(parts[i]);
    }
    return sb.toString();
  }

  /**
   * Parses a reason string back into {@code reason → count} (in string order). Parts that are not
   * {@code "<count>/<total> <Reason>"} are rejected.
   *
   * @throws IllegalArgumentException naming the malformed part
   */
  public static Map<String, Integer> parse(String reason) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (reason == null || reason.isBlank()) {
      return out;
    }
    for (String raw : reason.split(", ", -1)) {
      String part = raw.trim();
      int slash = part.indexOf('/');
      int space = part.indexOf(' ');
      if (slash <= 0 || space <= slash) {
        throw new IllegalArgumentException(
            "reason part \"" + part + "\": expected \"<count>/<devices> <Reason>\"");
      }
      int count;
      try {
        count = Integer.parseInt(part.substring(0, slash));
        Integer.parseInt(part.substring(slash + 1, space));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "reason part \"" + part + "\": expected \"<count>/<devices> <Reason>\"", e);
      }
      out.merge(part.substring(space + 1).trim(), count, Integer::sum);
    }
    return out;
  }

  /** Counters as a map of reason name to count, non-zero entries only. */
  public static Map<String, Integer> toMap(int[] counts) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (FitReason r : ALL) {
      if (counts[r.ordinal()] > 0) {
        out.put(r.name(), counts[r.ordinal()]);
      }
    }
    return out;
  }

  static int size() {
    return ALL.length;
  }
}
