package dev.tessera.engine.fit;

/**
 * Per-device score weights (hami-compat §7.3): dimensionless multipliers of the slot, core and
 * memory ratios. Parsed from {@code hami.io/device-scoring-weights}; absent means 1,1,1.
 */
public record ScoringWeights(int slot, int core, int memory) {
  public static final ScoringWeights DEFAULT = new ScoringWeights(1, 1, 1);

  /**
   * Parses {@code slot=<n>,core=<n>,memory=<n>}; {@code null} (annotation absent) gives {@link
   * #DEFAULT}.
   *
   * @throws InvalidScoringWeightsException when a key is missing, unknown or repeated, a value is
   *     not a non-negative integer, or all three are 0
   */
  public static ScoringWeights parse(String value) {
    if (value == null) {
      return DEFAULT;
    }
    if (value.isBlank()) {
      throw new InvalidScoringWeightsException(value, "expected slot, core, and memory weights");
    }
    int slot = -1;
    int core = -1;
    int memory = -1;
    for (String entry : value.split(",", -1)) {
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new InvalidScoringWeightsException(value, "expected key=value entries");
      }
      String key = entry.substring(0, eq).trim();
      String raw = entry.substring(eq + 1).trim();
      int current =
          switch (key) {
            case "slot" -> slot;
            case "core" -> core;
            case "memory" -> memory;
            default ->
                throw new InvalidScoringWeightsException(value, "unknown weight \"" + key + "\"");
          };
      if (current != -1) {
        throw new InvalidScoringWeightsException(value, "duplicate \"" + key + "\" weight");
      }
      int parsed;
      try {
        parsed = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        throw new InvalidScoringWeightsException(
            value, "\"" + key + "\" weight must be an integer");
      }
      if (parsed < 0) {
        throw new InvalidScoringWeightsException(
            value, "\"" + key + "\" weight must not be negative");
      }
      switch (key) {
        case "slot" -> slot = parsed;
        case "core" -> core = parsed;
        default -> memory = parsed;
      }
    }
    if (slot < 0 || core < 0 || memory < 0) {
      throw new InvalidScoringWeightsException(value, "expected slot, core, and memory weights");
    }
    if (slot == 0 && core == 0 && memory == 0) {
      throw new InvalidScoringWeightsException(value, "at least one weight must be positive");
    }
    return new ScoringWeights(slot, core, memory);
  }
}
