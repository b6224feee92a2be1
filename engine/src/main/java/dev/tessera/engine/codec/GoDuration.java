package dev.tessera.engine.codec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Go {@code time.Duration} text: {@link #format} is {@code Duration.String()} ({@code 5m0s}, {@code
 * 1.5s}, {@code 100ms}) and {@link #parse} is {@code time.ParseDuration}, both at nanosecond
 * precision.
 */
public final class GoDuration {
  private GoDuration() {}

  private static final Map<String, Long> UNIT_NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  /** Formats {@code d} exactly as Go's {@code Duration.String()}; Go durations are int64 ns. */
  public static String format(Duration d) {
    long n;
    try {
      n = d.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration outside Go's int64 nanosecond range: " + d, e);
    }
    if (n == 0) {
      return "0s";
    }
    boolean neg = n < 0;
    // Long.MIN_VALUE has no positive counterpart; BigDecimal keeps the magnitude exact.
    BigDecimal u = BigDecimal.valueOf(n).abs();
    var sb = new StringBuilder();
    if (u.compareTo(BigDecimal.valueOf(1_000_000_000L)) < 0) {
      long v = u.longValueExact();
      String unit;
      BigDecimal scaled;
      if (v < 1_000) {
        return (neg ? "-" : "") + v + "ns";
      } else if (v < 1_000_000) {
        unit = "\u00b5s";
        scaled = u.movePointLeft(3);
      } else {
        unit = "ms";
        scaled = u.movePointLeft(6);
      }
      sb.append(plain(scaled)).append(unit);
    } else {
      BigDecimal secondsTotal = u.movePointLeft(9);
      BigDecimal[] hq = secondsTotal.divideAndRemainder(BigDecimal.valueOf(3600));
      BigDecimal[] mq = hq[1].divideAndRemainder(BigDecimal.valueOf(60));
      long h = hq[0].longValueExact();
      long m = mq[0].longValueExact();
      if (h > 0) {
        sb.append(h).append('h').append(m).append('m');
      } else if (m > 0) {
        sb.append(m).append('m');
      }
      sb.append(plain(mq[1])).append('s');
    }
    return (neg ? "-" : "") + sb;
  }

  private static String plain(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    if (s.scale() < 0) {
      s = s.setScale(0);
    }
    return s.toPlainString();
  }

  /**
   * Parses Go duration syntax ({@code [-+]?([0-9]*(\.[0-9]*)?unit)+} or {@code 0}).
   *
   * @throws AnnotationDecodeException naming {@code field} when Go would reject {@code s}
   */
  public static Duration parse(String field, String s) {
    String rest = s;
    boolean neg = false;
    if (!rest.isEmpty() && (rest.charAt(0) == '-' || rest.charAt(0) == '+')) {
      neg = rest.charAt(0) == '-';
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Duration.ZERO;
    }
    if (rest.isEmpty()) {
      throw invalid(field, s);
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < rest.length()) {
      int start = i;
      while (i < rest.length() && isDigit(rest.charAt(i))) {
        i++;
      }
      String whole = rest.substring(start, i);
      String frac = "";
      if (i < rest.length() && rest.charAt(i) == '.') {
        i++;
        int fs = i;
        while (i < rest.length() && isDigit(rest.charAt(i))) {
          i++;
        }
        frac = rest.substring(fs, i);
        if (whole.isEmpty() && frac.isEmpty()) {
          throw invalid(field, s);
        }
      } else if (whole.isEmpty()) {
        throw invalid(field, s);
      }
      int us = i;
      while (i < rest.length() && rest.charAt(i) != '.' && !isDigit(rest.charAt(i))) {
        i++;
      }
      String unit = rest.substring(us, i);
      Long nanos = UNIT_NANOS.get(unit);
      if (nanos == null) {
        throw invalid(field, s);
      }
      BigDecimal value = new BigDecimal((whole.isEmpty() ? "0" : whole) + "." + frac + "0");
      total = total.add(value.multiply(BigDecimal.valueOf(nanos)));
    }
    // Go truncates sub-nanosecond fractions and rejects anything beyond int64 nanoseconds.
    BigDecimal n = neg ? total.negate() : total;
    try {
      return Duration.ofNanos(n.setScale(0, java.math.RoundingMode.DOWN).longValueExact());
    } catch (ArithmeticException e) {
      throw new AnnotationDecodeException(field, s, "a duration within int64 nanoseconds", e);
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static AnnotationDecodeException invalid(String field, String s) {
    return AnnotationDecodeException.withHamiText(
        field,
        s,
        "a Go duration such as 5m, 90s or 1h30m",
        "time: invalid duration " + GoText.quote(s),
        null);
  }
}
