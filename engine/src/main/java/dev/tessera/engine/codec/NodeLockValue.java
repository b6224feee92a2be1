package dev.tessera.engine.codec;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of {@code hami.io/mutex.lock} (hami-compat §3.4): {@code <RFC3339 time>,<namespace>,
 * <name>}, or a bare {@code <RFC3339 time>} in the legacy form without a holder.
 *
 * @param time when the lock was taken, in the writer's zone, whole seconds
 * @param holder the pod holding the lock; empty for the legacy form
 */
public record NodeLockValue(OffsetDateTime time, Optional<PodRef> holder) {
  private static final String A = Annotations.NODE_LOCK;

  /** Go's {@code time.RFC3339} layout for writing: seconds precision, {@code Z} for UTC. */
  private static final DateTimeFormatter WRITE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  /**
   * Go's {@code time.Parse(time.RFC3339, …)}: four-digit year, seconds required, optional fraction,
   * {@code Z} or {@code ±hh:mm}.
   */
  private static final DateTimeFormatter READ =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.YEAR, 4)
          .appendLiteral('-')
          .appendValue(ChronoField.MONTH_OF_YEAR, 2)
          .appendLiteral('-')
          .appendValue(ChronoField.DAY_OF_MONTH, 2)
          .appendLiteral('T')
          .appendValue(ChronoField.HOUR_OF_DAY, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
          .appendLiteral(':')
          .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .appendOffset("+HH:MM", "Z")
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT)
          .withChronology(java.time.chrono.IsoChronology.INSTANCE);

  public NodeLockValue {
    Objects.requireNonNull(time, "time");
    holder = holder == null ? Optional.empty() : holder;
    time = time.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The lock value a pod writes when it takes the lock at {@code time}. */
  public static NodeLockValue heldBy(OffsetDateTime time, PodRef pod) {
    return new NodeLockValue(time, Optional.of(pod));
  }

  /**
   * Encodes the value as HAMi writes it.
   *
   * @throws IllegalArgumentException when the holder's namespace or name contains {@code ,}
   */
  public String encode() {
    String t = WRITE.format(time);
    if (holder.isEmpty()) {
      return t;
    }
    PodRef p = holder.get();
    if (p.namespace().contains(",") || p.name().contains(",")) {
      throw new IllegalArgumentException("lock holder must not contain ',': " + p);
    }
    return t + "," + p.namespaceName(",");
  }

  /**
   * Decodes a lock value as HAMi's {@code ParseNodeLock}: without {@code ,} it is a bare time;
   * otherwise exactly three comma-separated parts.
   *
   * @throws AnnotationDecodeException when the time is not RFC3339 or the part count is wrong
   */
  public static NodeLockValue decode(String value) {
    if (value.indexOf(',') < 0) {
      return new NodeLockValue(time(value, value), Optional.empty());
    }
    String[] s = value.split(",", -1);
    if (s.length != 3) {
      throw AnnotationDecodeException.withHamiText(
          A, value, "<RFC3339 time>,<namespace>,<name>", "lock " + value + " format error", null);
    }
    return new NodeLockValue(time(value, s[0]), Optional.of(new PodRef(s[1], s[2])));
  }

  private static OffsetDateTime time(String value, String t) {
    try {
      return OffsetDateTime.parse(t, READ);
    } catch (DateTimeParseException e) {
      throw AnnotationDecodeException.withHamiText(
          A,
          t,
          "an RFC3339 time such as 2026-08-21T10:00:00+08:00",
          "parsing time " + GoText.quote(t) + " as \"2006-01-02T15:04:05Z07:00\": cannot parse",
          e);
    }
  }
}
