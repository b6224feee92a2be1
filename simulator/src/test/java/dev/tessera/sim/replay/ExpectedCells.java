package dev.tessera.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares one replay with its rows of {@code openb-default-expected.csv} (columns {@code …,policy
 * label,…,seed,metric,<X>…}): every metric at every arrived-X column within 0.01.
 */
public final class ExpectedCells {
  private ExpectedCells() {}

  /**
   * Asserts that {@code events} of the {@code label} run for {@code seed} on {@code totalGpus} GPUs
   * reproduce every cell of {@code expected} (the file's lines, header first).
   */
  public static void assertMatch(
      List<String> expected, String label, int seed, List<ReplayEvent> events, int totalGpus) {
    String[] header = expected.get(0).split(",", -1);
    int[] columns = new int[header.length - 5];
    for (int i = 5; i < header.length; i++) {
      columns[i - 5] = Integer.parseInt(header[i]);
    }
    var actual = FgdMetrics.discretise(events, totalGpus, columns);
    List<String> diffs = new ArrayList<>();
    int compared = 0;
    for (String line : expected.subList(1, expected.size())) {
      String[] c = line.split(",", -1);
      if (!c[1].equals(label) || Integer.parseInt(c[3]) != seed) {
        continue;
      }
      for (int i = 5; i < c.length; i++) {
        double want = Double.parseDouble(c[i]);
        Double got = actual.get(c[4]).get(columns[i - 5]);
        compared++;
        if (got == null || Math.abs(got - want) > 0.01 + 1e-9) {
          diffs.add(c[4] + "@" + columns[i - 5] + ": expected " + want + ", got " + got);
        }
      }
    }
    assertThat(compared).as("cells compared").isEqualTo(3 * columns.length);
    assertThat(diffs).as("cells off by more than 0.01").isEmpty();
  }
}
