package dev.tessera.engine.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;

/**
 * The {@code hami.io/node-handshake} liveness check of HAMi's generic {@code CheckHealth}
 * (hami-compat §3.3): the scheduler stamps {@code Requesting_<yyyy-MM-dd HH:mm:ss>} in its local
 * zone and treats a node as alive while the stamp is under 60 s old or the node advertises GPUs.
 */
public final class Handshake {
  private Handshake() {}

  /** The marker the scheduler writes. */
  public static final String REQUESTING = "Requesting";

  /** How long a fresh stamp keeps a node healthy regardless of its allocatable count. */
  public static final Duration GRACE = Duration.ofSeconds(60);

  /** Go's {@code time.DateTime} layout. */
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

  /**
   * One check's outcome.
   *
   * @param healthy false when the node's NVIDIA devices should be dropped from the cache
   * @param needUpdate true when the register annotation should be re-read
   * @param valueToWrite the new handshake value to patch onto the node, if any
   */
  public record Result(boolean healthy, boolean needUpdate, Optional<String> valueToWrite) {
    public Result {
      valueToWrite = valueToWrite == null ? Optional.empty() : valueToWrite;
    }

    static Result of(boolean healthy, boolean needUpdate) {
      return new Result(healthy, needUpdate, Optional.empty());
    }
  }

  /** The value the scheduler writes at {@code now}: {@code Requesting_} plus the local time. */
  public static String requesting(Instant now, ZoneId zone) {
    return REQUESTING + "_" + STAMP.format(LocalDateTime.ofInstant(now, zone));
  }

  /**
   * Parses the stamp of a handshake value in {@code zone}; empty when the value has no stamp or the
   * stamp is not in {@code yyyy-MM-dd HH:mm:ss} form.
   */
  public static Optional<Instant> stamp(String value, ZoneId zone) {
    String[] parts = value.split("_", -1);
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(parts[1], STAMP).atZone(zone).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Checks a node's handshake.
   *
   * <ul>
   *   <li>no {@code Requesting} in the value (or no value): write a fresh stamp; healthy, update;
   *   <li>stamp missing or unparseable, or now &lt; stamp + 60 s: healthy, no update;
   *   <li>expired: healthy iff {@code allocatableGpus} &gt; 0, no update.
   * </ul>
   *
   * @param clock now, and the zone stamps are written and read in (the scheduler's local zone)
   */
  public static Result check(Optional<String> value, long allocatableGpus, Clock clock) {
    String v = value.orElse("");
    Instant now = clock.instant();
    if (!v.contains(REQUESTING)) {
      return new Result(true, true, Optional.of(requesting(now, clock.getZone())));
    }
    Optional<Instant> stamp = stamp(v, clock.getZone());
    if (stamp.isEmpty() || now.isBefore(stamp.get().plus(GRACE))) {
      return Result.of(true, false);
    }
    return Result.of(allocatableGpus > 0, false);
  }
}
