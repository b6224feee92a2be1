package dev.tessera.engine.codec;

import java.time.Instant;

/**
 * Unix-seconds timestamps of {@code hami.io/vgpu-time} and {@code hami.io/bind-time}: decimal
 * seconds since the epoch, as Go's {@code strconv.FormatInt(time.Now().Unix(), 10)}.
 */
public final class UnixTime {
  private UnixTime() {}

  /** Formats {@code t} as whole Unix seconds, truncating towards negative infinity like Go. */
  public static String format(Instant t) {
    return Long.toString(t.getEpochSecond());
  }

  /**
   * Parses a Unix-seconds value.
   *
   * @throws AnnotationDecodeException naming {@code annotation} when it is not a decimal int64
   */
  public static Instant parse(String annotation, String value) {
    try {
      return Instant.ofEpochSecond(GoText.parseInt(value, 64));
    } catch (GoText.GoSyntaxError e) {
      throw AnnotationDecodeException.withHamiText(
          annotation, value, "Unix seconds as a decimal integer", e.getMessage(), e);
    } catch (java.time.DateTimeException e) {
      throw new AnnotationDecodeException(
          annotation, value, "Unix seconds within Instant range", e);
    }
  }
}
