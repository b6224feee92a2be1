package dev.tessera.cli;

import static dev.tessera.cli.ExplainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tessera bench} end to end on a small cluster with short times: the table and the JSON
 * describe the same cases, the oracle rows are the ratios' unit and the DRL paths agree with their
 * oracles. Nothing here asserts a speed.
 */
class BenchCommandTest {
  private static final List<String> CASES =
      List.of(
          "binpack oracle one-pod",
          "binpack drl one-pod",
          "binpack oracle sequence",
          "binpack drl sequence",
          "fgd oracle one-pod",
          "fgd drl one-pod",
          "fgd oracle sequence",
          "fgd drl sequence",
          "hami extender same-pod",
          "hami extender new-shape");

  /** One table row: the case name, then the columns split on blanks. */
  private record TableRow(String name, String[] columns) {}

  @Test
  void smallRunPrintsAndWritesEveryCaseWithTheOracleAsUnitAndNoDisagreement(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("out.json");
    var r =
        run(
            "bench",
            "--nodes",
            "20",
            "--seconds-per-case",
            "0.2",
            "--warmup-seconds",
            "0.1",
            "--policies",
            "binpack,fgd",
            "--json",
            json.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("[1/10] binpack oracle one-pod").contains("s left");

    Map<String, TableRow> table = table(r.out());
    assertThat(table.keySet()).containsExactlyElementsOf(CASES);
    for (TableRow row : table.values()) {
      String[] c = row.columns();
      // calls, p50, p90, p99, ops/s, x p50, x p99, checked, disagree
      assertThat(c).as(row.name()).hasSize(9);
      assertThat(Long.parseLong(c[0])).as(row.name()).isPositive();
      double p50 = Double.parseDouble(c[1]);
      double p90 = Double.parseDouble(c[2]);
      double p99 = Double.parseDouble(c[3]);
      assertThat(p50).isLessThanOrEqualTo(p90);
      assertThat(p90).isLessThanOrEqualTo(p99);
      assertThat(Double.parseDouble(c[4])).isPositive();
      Double.parseDouble(c[5]);
      Double.parseDouble(c[6]);
      if (row.name().contains(" oracle ")) {
        assertThat(c[5]).as(row.name()).isEqualTo("1.00");
        assertThat(c[6]).as(row.name()).isEqualTo("1.00");
      }
      if (row.name().startsWith("hami extender")) {
        assertThat(c[7]).as("the extender's priorities are not one node").isEqualTo("-");
      } else {
        assertThat(Long.parseLong(c[7])).isEqualTo(Long.parseLong(c[0]));
        assertThat(c[8]).as(row.name()).isEqualTo("0");
      }
    }

    JsonNode root = new ObjectMapper().readTree(Files.readString(json));
    assertThat(root.path("settings").path("nodes").asInt()).isEqualTo(20);
    var names = new ArrayList<String>();
    for (JsonNode row : root.path("rows")) {
      String name = row.path("name").asText();
      names.add(name);
      String[] c = table.get(name).columns();
      assertThat(row.path("calls").asLong()).isEqualTo(Long.parseLong(c[0]));
      assertThat(row.path("p50Micros").asDouble())
          .isCloseTo(Double.parseDouble(c[1]), org.assertj.core.data.Offset.offset(0.051));
      assertThat(row.path("disagreements").asLong()).isZero();
    }
    assertThat(names).containsExactlyElementsOf(CASES);
    assertThat(root.path("rows").get(0).path("ratioP50").asDouble()).isEqualTo(1.0);
  }

  @Test
  void unknownPolicyIsNamedWithTheKnownOnes() {
    var r = run("bench", "--policies", "binpack,fastest");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("unknown policy \"fastest\"")
        .contains("binpack, spread, fgd, bestfit, dotprod, gpu-packing, all");
  }

  @Test
  void builtInPolicyWithoutAnOracleIsRefusedWithTheReason() {
    var r = run("bench", "--policies", "topology");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("\"topology\" has no plain-Java oracle");
  }

  /** Rows of the table after its header line, keyed by case name (names have 3 words). */
  private static Map<String, TableRow> table(String out) {
    var rows = new LinkedHashMap<String, TableRow>();
    boolean header = false;
    for (String line : out.split("\n")) {
      if (line.startsWith("case ")) {
        header = true;
        continue;
      }
      if (!header || line.isBlank()) {
        continue;
      }
      String[] words = line.trim().split("\\s+");
      String name = words[0] + " " + words[1] + " " + words[2];
      rows.put(name, new TableRow(name, java.util.Arrays.copyOfRange(words, 3, words.length)));
    }
    return rows;
  }
}
