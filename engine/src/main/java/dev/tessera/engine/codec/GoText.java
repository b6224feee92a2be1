package dev.tessera.engine.codec;

import java.util.Optional;

/**
 * Go's {@code strconv} parsers and quoting, reproduced so decoders accept exactly what HAMi accepts
 * and report the same error texts ({@code strconv.ParseInt: parsing "x": invalid syntax}).
 */
final class GoText {
  private GoText() {}

  /** A Go {@code strconv} failure: the text Go's {@code err.Error()} would print. */
  static final class GoSyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    GoSyntaxError(String goText) {
      super(goText, null, false, false);
    }
  }

  /** Go {@code strconv.ParseInt(s, 10, bits)}: ASCII digits, optional sign, range-checked. */
  static long parseInt(String s, int bits) throws GoSyntaxError {
    return parseSigned("strconv.ParseInt", s, bits);
  }

  /** Go {@code strconv.Atoi}: a 64-bit {@code ParseInt} reported under the {@code Atoi} name. */
  static long atoi(String s) throws GoSyntaxError {
    return parseSigned("strconv.Atoi", s, 64);
  }

  private static long parseSigned(String fn, String s, int bits) throws GoSyntaxError {
    int i = 0;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    if (i == s.length()) {
      throw syntax(fn, s);
    }
    // Accumulate as negative so Long.MIN_VALUE fits; overflow is tracked, not thrown, because Go
    // reports syntax errors in later characters before range errors.
    long acc = 0;
    boolean overflow = false;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw syntax(fn, s);
      }
      int d = c - '0';
      if (!overflow) {
        if (acc < (Long.MIN_VALUE + d) / 10) {
          overflow = true;
        } else {
          acc = acc * 10 - d;
        }
      }
    }
    long min = bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
    long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
    if (overflow || acc < min || (!neg && -acc > max) || (!neg && acc == Long.MIN_VALUE)) {
      throw new GoSyntaxError(fn + ": parsing " + quote(s) + ": value out of range");
    }
    return neg ? acc : -acc;
  }

  /** Go {@code strconv.ParseBool}. */
  static boolean parseBool(String s) throws GoSyntaxError {
    switch (s) {
      case "1", "t", "T", "TRUE", "true", "True":
        return true;
      case "0", "f", "F", "FALSE", "false", "False":
        return false;
      default:
        throw syntax("strconv.ParseBool", s);
    }
  }

  /** Go {@code strconv.ParseBool} as an optional: empty when Go would return an error. */
  static Optional<Boolean> parseBoolOrEmpty(String s) {
    try {
      return Optional.of(parseBool(s));
    } catch (GoSyntaxError e) {
      return Optional.empty();
    }
  }

  private static GoSyntaxError syntax(String fn, String s) {
    return new GoSyntaxError(fn + ": parsing " + quote(s) + ": invalid syntax");
  }

  /** Go {@code strconv.Quote} ({@code %q}) for the characters that can occur in Java strings. */
  static String quote(String s) {
    var sb = new StringBuilder(s.length() + 2).append('"');
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 11 -> sb.append("\\v");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                  if (cp < 0x20 || cp == 0x7f) {
                    sb.append(String.format("\\x%02x", cp));
                  } else if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                    sb.append("\\ufffd"); // a lone surrogate is invalid UTF-8 in Go
                  } else if (cp > 0x7f && !printable(cp)) {
                    sb.append(
                        cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
                  } else {
                    sb.appendCodePoint(cp);
                  }
                }
              }
            });
    return sb.append('"').toString();
  }

  private static boolean printable(int cp) {
    int t = Character.getType(cp);
    return t != Character.CONTROL
        && t != Character.FORMAT
        && t != Character.UNASSIGNED
        && t != Character.PRIVATE_USE
        && t != Character.SURROGATE
        && t != Character.LINE_SEPARATOR
        && t != Character.PARAGRAPH_SEPARATOR
        && !(t == Character.SPACE_SEPARATOR && cp != ' ');
  }
}
