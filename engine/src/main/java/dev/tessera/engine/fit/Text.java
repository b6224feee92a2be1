package dev.tessera.engine.fit;

import java.util.ArrayList;
import java.util.List;

/** Allocation-light string helpers for the placement hot path (no regex, no lower-casing). */
final class Text {
  private Text() {}

  /** True when {@code haystack} contains {@code needle} ignoring ASCII/Unicode case. */
  static boolean containsIgnoreCase(String haystack, String needle) {
    if (haystack.startsWith(needle)) {
      return true; // the common "NVIDIA …" model string, without case folding
    }
    int n = needle.length();
    int limit = haystack.length() - n;
    for (int i = 0; i <= limit; i++) {
      if (haystack.regionMatches(true, i, needle, 0, n)) {
        return true;
      }
    }
    return false;
  }

  /** Comma-separated items, trimmed, blanks dropped. */
  static String[] commaList(String value) {
    if (value == null || value.isBlank()) {
      return new String[0];
    }
    List<String> out = new ArrayList<>();
    for (String s : value.split(",", -1)) {
      String t = s.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out.toArray(new String[0]);
  }
}
