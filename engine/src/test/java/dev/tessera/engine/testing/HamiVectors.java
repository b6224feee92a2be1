package dev.tessera.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * HAMi conformance vectors ({@code ../shared/reference/hami-vectors/*.json}) as JUnit dynamic
 * tests: one test per case, named {@code suite/id}, dispatched on the case's {@code kind}.
 *
 * <p>Every kind is owned by exactly one module ({@link VectorKinds}); a module's conformance test
 * registers a handler for each kind it owns and {@link #tests} fails if one is missing, so no
 * vector can be silently skipped.
 */
public final class HamiVectors {
  public static final String DIR = "reference/hami-vectors";
  private static final ObjectMapper JSON = new ObjectMapper();

  private HamiVectors() {}

  /** Checks one case: {@code input} and {@code expect} as in the vectors README. */
  @FunctionalInterface
  public interface CaseHandler {
    void check(JsonNode input, JsonNode expect, VectorCase c) throws Exception;
  }

  /** One vector case. */
  public record VectorCase(
      String suite, String id, String kind, String source, JsonNode input, JsonNode expect) {
    public String displayName() {
      return suite + "/" + id + " [" + kind + "]";
    }
  }

  /** All cases of one file, or an empty list (and a skipped test) when ../shared is absent. */
  public static List<VectorCase> load(String file) {
    Path p = SharedReferences.require(DIR + "/" + file);
    try {
      JsonNode root = JSON.readTree(Files.readString(p));
      String suite = root.path("suite").asText(file.replace(".json", ""));
      var out = new ArrayList<VectorCase>();
      for (JsonNode c : root.path("cases")) {
        out.add(
            new VectorCase(
                suite,
                c.path("id").asText(),
                c.path("kind").asText(),
                c.path("source").asText(),
                c.path("input"),
                c.path("expect")));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  /** Suite-wide {@code defaults} of one file (empty node when absent). */
  public static JsonNode defaults(String file) {
    Path p = SharedReferences.require(DIR + "/" + file);
    try {
      return JSON.readTree(Files.readString(p)).path("defaults");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  /**
   * Dynamic tests for the cases of {@code file} whose kind {@code module} (a {@link VectorKinds}
   * owner) runs. Fails (as a test) when the handler map does not cover exactly the kinds {@link
   * VectorKinds} assigns to {@code module} within that file.
   */
  public static Stream<DynamicTest> tests(
      String module, String file, Map<String, CaseHandler> handlers) {
    if (SharedReferences.root().isEmpty()) {
      return Stream.of(
          DynamicTest.dynamicTest(
              file + " (skipped)",
              () ->
                  Assumptions.abort(
                      "../shared not found: HAMi vectors skipped (set -Dtessera.shared=DIR)")));
    }
    var cases = load(file);
    var owned = new TreeSet<String>();
    for (var c : cases) {
      if (VectorKinds.owner(file, c.kind()).filter(module::equals).isPresent()) {
        owned.add(c.kind());
      }
    }
    var tests = new ArrayList<DynamicTest>();
    var missing = new TreeSet<>(owned);
    missing.removeAll(handlers.keySet());
    var extra = new TreeSet<>(handlers.keySet());
    extra.removeAll(owned);
    tests.add(
        DynamicTest.dynamicTest(
            file + " handlers cover the kinds " + module + " owns",
            () -> {
              if (!missing.isEmpty() || !extra.isEmpty()) {
                fail("kinds without handler: " + missing + "; handlers for no case: " + extra);
              }
            }));
    for (var c : cases) {
      if (!VectorKinds.owner(file, c.kind()).filter(module::equals).isPresent()) {
        continue;
      }
      var h = handlers.get(c.kind());
      if (h == null) {
        continue; // reported by the coverage test above
      }
      tests.add(
          DynamicTest.dynamicTest(
              c.displayName(),
              () -> {
                try {
                  h.check(c.input(), c.expect(), c);
                } catch (AssertionError e) {
                  throw new AssertionError(
                      c.displayName() + " (" + c.source() + "): " + e.getMessage(), e);
                }
              }));
    }
    return tests.stream();
  }
}
