package dev.tessera.engine.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * JSON reading with Go {@code encoding/json} semantics for HAMi's annotations: absent or {@code
 * null} keys read as zero values, unknown keys are ignored, a wrong JSON type or an out-of-range
 * number is an error, and trailing content after the value is an error.
 */
final class StrictJson {
  private StrictJson() {}

  /** Shared reader; configured once and never mutated afterwards, so it is thread-safe. */
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static JsonNode parse(String annotation, String value, String expected) {
    if (value == null) {
      throw new AnnotationDecodeException(annotation, null, expected);
    }
    try {
      JsonNode n = MAPPER.readTree(value);
      if (n == null || n.isMissingNode()) {
        throw new AnnotationDecodeException(annotation, value, expected + ", got no JSON value");
      }
      return n;
    } catch (IOException e) {
      throw new AnnotationDecodeException(
          annotation, value, expected + " (" + firstLine(e.getMessage()) + ")", e);
    } catch (RuntimeException e) {
      // Jackson reports some pathological inputs (e.g. numbers too long) as runtime exceptions.
      if (e instanceof AnnotationDecodeException a) {
        throw a;
      }
      throw new AnnotationDecodeException(annotation, value, expected, e);
    }
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "malformed JSON";
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** An array node; {@code null} reads as an empty array, as Go does for a nil slice. */
  static Iterable<JsonNode> array(String annotation, JsonNode n, String what) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return java.util.List.of();
    }
    if (!n.isArray()) {
      throw new AnnotationDecodeException(annotation, n.toString(), what + " as a JSON array");
    }
    return n;
  }

  static JsonNode object(String annotation, JsonNode n, String what) {
    if (!n.isObject()) {
      throw new AnnotationDecodeException(annotation, n.toString(), what + " as a JSON object");
    }
    return n;
  }

  static String string(String annotation, JsonNode obj, String key) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw new AnnotationDecodeException(
          annotation, obj.toString(), "\"" + key + "\" as a JSON string, got " + v);
    }
    return v.textValue();
  }

  static boolean bool(String annotation, JsonNode obj, String key) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new AnnotationDecodeException(
          annotation, obj.toString(), "\"" + key + "\" as true or false, got " + v);
    }
    return v.booleanValue();
  }

  /** An integer in [min, max]; {@code present} tells absent from zero where that matters. */
  static long integer(String annotation, JsonNode obj, String key, long min, long max) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return 0;
    }
    return integerValue(annotation, obj, key, v, min, max);
  }

  static long integerValue(
      String annotation, JsonNode context, String key, JsonNode v, long min, long max) {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new AnnotationDecodeException(
          annotation,
          context.toString(),
          "\"" + key + "\" as an integer in [" + min + ", " + max + "], got " + v);
    }
    long x = v.longValue();
    if (x < min || x > max) {
      throw new AnnotationDecodeException(
          annotation,
          context.toString(),
          "\"" + key + "\" as an integer in [" + min + ", " + max + "], got " + v);
    }
    return x;
  }

  static boolean present(JsonNode obj, String key) {
    JsonNode v = obj.get(key);
    return v != null && !v.isNull();
  }
}
