package dev.tessera.deviceplugin.nvml;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which NVML XID critical-error events mark a GPU unhealthy (hami-compat §8.2), from {@code
 * DP_DISABLE_HEALTHCHECKS} and {@code DP_ENABLE_HEALTHCHECKS} as the NVIDIA device plugin reads
 * them: XIDs 13, 31, 43, 45, 68 and 109 (application errors) are ignored by default; {@code
 * DP_DISABLE_HEALTHCHECKS=all} or {@code xids} turns XID checks off, a comma list ignores those
 * XIDs too; {@code DP_ENABLE_HEALTHCHECKS} lists XIDs to check even when ignored by default ({@code
 * all} checks every XID).
 *
 * @param enabled whether XID events are watched at all
 * @param ignored XIDs that never mark a GPU unhealthy
 * @param checkAll whether every XID counts, the default-ignored ones included
 */
public record XidFilter(boolean enabled, Set<Long> ignored, boolean checkAll) {
  /** XIDs caused by applications rather than the GPU, ignored unless enabled explicitly. */
  public static final Set<Long> DEFAULT_IGNORED = Set.of(13L, 31L, 43L, 45L, 68L, 109L);

  public static final String DISABLE_ENV = "DP_DISABLE_HEALTHCHECKS";
  public static final String ENABLE_ENV = "DP_ENABLE_HEALTHCHECKS";

  public XidFilter {
    ignored = Set.copyOf(ignored);
  }

  /** The defaults: XIDs watched, the application XIDs ignored. */
  public static XidFilter defaults() {
    return new XidFilter(true, DEFAULT_IGNORED, false);
  }

  /**
   * The filter the two environment values describe; entries that are not numbers are skipped, as
   * the NVIDIA device plugin does.
   */
  public static XidFilter fromEnv(Optional<String> disable, Optional<String> enable) {
    String d = disable.orElse("").trim().toLowerCase(Locale.ROOT);
    if (d.contains("all") || d.contains("xids")) {
      return new XidFilter(false, Set.of(), false);
    }
    var ignored = new TreeSet<>(DEFAULT_IGNORED);
    ignored.addAll(numbers(d));
    String e = enable.orElse("").trim().toLowerCase(Locale.ROOT);
    if (e.contains("all")) {
      return new XidFilter(true, Set.of(), true);
    }
    ignored.removeAll(numbers(e));
    return new XidFilter(true, ignored, false);
  }

  /** Whether an XID critical error with this code marks the GPU unhealthy. */
  public boolean marksUnhealthy(long xid) {
    return enabled && (checkAll || !ignored.contains(xid));
  }

  private static Set<Long> numbers(String list) {
    var out = new TreeSet<Long>();
    for (String s : list.split(",")) {
      try {
        out.add(Long.parseLong(s.trim()));
      } catch (NumberFormatException ignoredEntry) {
        // Not an XID: skipped.
      }
    }
    return out;
  }
}
