package dev.tessera.engine.fit.mig;

import java.util.List;

/**
 * The device config's {@code migProfileAllowlist} (hami-compat §7.9): per GPU model fragment, the
 * MIG profiles that may be offered. The first entry with a model that is a substring of the GPU
 * name applies.
 */
public record MigAllowlist(List<Entry> entries) {
  public MigAllowlist {
    entries = List.copyOf(entries);
  }

  /** One allowlist entry: model-name fragments and profile names. */
  public record Entry(List<String> models, List<String> profiles) {
    public Entry {
      models = models == null ? List.of() : List.copyOf(models);
      profiles = profiles == null ? List.of() : List.copyOf(profiles);
    }
  }

  /**
   * Validates the allowlist.
   *
   * @throws IllegalArgumentException naming the entry and what is wrong: an entry without models or
   *     profiles, a blank model, or a profile name not of the form {@code <n>g.<…>}
   */
  public void validate() {
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      String where = "migProfileAllowlist[" + i + "]";
      if (e.models().isEmpty()) {
        throw new IllegalArgumentException(where + ": expected at least one model");
      }
      if (e.profiles().isEmpty()) {
        throw new IllegalArgumentException(where + ": expected at least one profile");
      }
      for (String m : e.models()) {
        if (m == null || m.isBlank()) {
          throw new IllegalArgumentException(where + ": model names must not be blank");
        }
      }
      for (String p : e.profiles()) {
        if (!isProfileName(p)) {
          throw new IllegalArgumentException(
              where + ": profile \"" + p + "\": expected <n>g.<memory>, e.g. 1g.5gb");
        }
      }
    }
  }

  /** The profiles allowed for GPU model {@code gpuName}, or empty when no entry matches. */
  public List<String> profilesFor(String gpuName) {
    for (Entry e : entries) {
      for (String m : e.models()) {
        if (gpuName.contains(m)) {
          return e.profiles();
        }
      }
    }
    return List.of();
  }

  static boolean isProfileName(String p) {
    if (p == null) {
      return false;
    }
    int i = 0;
    while (i < p.length() && Character.isDigit(p.charAt(i))) {
      i++;
    }
    return i > 0 && p.startsWith("g.", i) && p.length() > i + 2;
  }
}
