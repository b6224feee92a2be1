package dev.tessera.engine.admission;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A parsed Kubernetes resource quantity ({@code "1"}, {@code "16Gi"}, {@code "500m"}, {@code
 * "1e3"}), held as an exact decimal. Follows the grammar of {@code k8s.io/apimachinery
 * resource.ParseQuantity}; only {@link #asInt64()} (Go's {@code Quantity.AsInt64}) matters to HAMi,
 * so no canonical form or rounding is kept.
 *
 * @param value the exact value, in the resource's base unit
 */
public record Quantity(BigDecimal value) {
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  // Exponents beyond this cannot produce an int64 (or a meaningful fraction); capping them keeps a
  // hostile "1e999999999" from allocating a huge number while giving the same AsInt64 answer.
  private static final int EXPONENT_CAP = 64;

  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", new BigDecimal(BigInteger.ONE.shiftLeft(10))),
          Map.entry("Mi", new BigDecimal(BigInteger.ONE.shiftLeft(20))),
          Map.entry("Gi", new BigDecimal(BigInteger.ONE.shiftLeft(30))),
          Map.entry("Ti", new BigDecimal(BigInteger.ONE.shiftLeft(40))),
          Map.entry("Pi", new BigDecimal(BigInteger.ONE.shiftLeft(50))),
          Map.entry("Ei", new BigDecimal(BigInteger.ONE.shiftLeft(60))));

  public Quantity {
    Objects.requireNonNull(value, "value");
  }

  /**
   * Parses {@code text} as the value of {@code resource} (the name only feeds the error message).
   *
   * @throws QuantityException when {@code text} is not a quantity
   */
  public static Quantity parse(String resource, String text) {
    if (text == null || text.isEmpty()) {
      throw new QuantityException(resource, String.valueOf(text), "empty value");
    }
    int i = 0;
    int n = text.length();
    boolean negative = false;
    if (text.charAt(0) == '+' || text.charAt(0) == '-') {
      negative = text.charAt(0) == '-';
      i++;
    }
    int numberStart = i;
    int intDigits = 0;
    while (i < n && isDigit(text.charAt(i))) {
      i++;
      intDigits++;
    }
    int fracDigits = 0;
    if (i < n && text.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
        fracDigits++;
      }
    }
    if (intDigits + fracDigits == 0) {
      throw new QuantityException(resource, text, "no digits");
    }
    String number = text.substring(numberStart, i);
    if (number.endsWith(".")) {
      number = number.substring(0, number.length() - 1);
    }
    if (number.startsWith(".")) {
      number = "0" + number;
    }
    BigDecimal magnitude = new BigDecimal(number);
    String suffix = text.substring(i);
    BigDecimal scaled;
    BigDecimal multiplier = SUFFIXES.get(suffix);
    if (multiplier != null) {
      scaled = magnitude.multiply(multiplier);
    } else if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      scaled = magnitude.scaleByPowerOfTen(exponent(resource, text, suffix.substring(1)));
    } else {
      throw new QuantityException(resource, text, "unknown suffix \"" + suffix + "\"");
    }
    return new Quantity(negative ? scaled.negate() : scaled);
  }

  private static int exponent(String resource, String text, String s) {
    int j = 0;
    boolean neg = false;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      neg = s.charAt(0) == '-';
      j++;
    }
    if (j == s.length()) {
      throw new QuantityException(resource, text, "exponent without digits");
    }
    long e = 0;
    for (; j < s.length(); j++) {
      char c = s.charAt(j);
      if (!isDigit(c)) {
        throw new QuantityException(resource, text, "exponent \"" + s + "\" is not an integer");
      }
      e = Math.min(e * 10 + (c - '0'), EXPONENT_CAP);
    }
    return (int) (neg ? -e : e);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * The value as a 64-bit integer, empty when it has a fractional part or lies outside the int64
   * range (Go's {@code AsInt64} returning {@code ok == false}).
   */
  public OptionalLong asInt64() {
    BigDecimal v = value.stripTrailingZeros();
    if (v.signum() == 0) {
      return OptionalLong.of(0);
    }
    if (v.scale() > 0 || v.precision() - v.scale() > 19) {
      return OptionalLong.empty();
    }
    BigInteger b = v.toBigIntegerExact();
    if (b.compareTo(LONG_MIN) < 0 || b.compareTo(LONG_MAX) > 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(b.longValue());
  }
}
