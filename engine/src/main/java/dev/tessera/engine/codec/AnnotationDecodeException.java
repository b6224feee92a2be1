package dev.tessera.engine.codec;

/**
 * A HAMi annotation (or other wire value) that does not decode. The message names the annotation,
 * the offending fragment and what was expected, so it can be shown to a user as is.
 */
public final class AnnotationDecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String annotation;
  private final String fragment;
  private final String expected;
  private final String hamiText;

  public AnnotationDecodeException(String annotation, String fragment, String expected) {
    this(annotation, fragment, expected, null);
  }

  /**
   * A decode error that also carries the exact error text HAMi's Go code produces for the same
   * input, for callers (and conformance tests) that must surface it verbatim.
   */
  public static AnnotationDecodeException withHamiText(
      String annotation, String fragment, String expected, String hamiText, Throwable cause) {
    return new AnnotationDecodeException(annotation, fragment, expected, hamiText, cause);
  }

  public AnnotationDecodeException(
      String annotation, String fragment, String expected, Throwable cause) {
    this(annotation, fragment, expected, null, cause);
  }

  private AnnotationDecodeException(
      String annotation, String fragment, String expected, String hamiText, Throwable cause) {
    super(
        annotation + ": cannot decode \"" + abbreviate(fragment) + "\": expected " + expected,
        cause);
    this.annotation = annotation;
    this.fragment = fragment;
    this.expected = expected;
    this.hamiText = hamiText;
  }

  /**
   * The error text HAMi itself reports for this input (e.g. {@code no gpu found on node}); the full
   * message when no HAMi text is known.
   */
  public String hamiText() {
    return hamiText == null ? getMessage() : hamiText;
  }

  /** The annotation key (or wire field) being decoded. */
  public String annotation() {
    return annotation;
  }

  /** The part of the value that failed. */
  public String fragment() {
    return fragment;
  }

  /** What the decoder expected instead. */
  public String expected() {
    return expected;
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "<null>";
    }
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
