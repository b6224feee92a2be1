package dev.tessera.sim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The timer's bookkeeping: percentiles by nearest rank, and every disagreement counted. */
class CaseTimerTest {
  @Test
  void percentilesAreNearestRankOfTheSortedSamples() {
    long[] sorted = new long[100];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i + 1;
    }
    assertThat(CaseTimer.percentile(sorted, 50)).isEqualTo(50);
    assertThat(CaseTimer.percentile(sorted, 90)).isEqualTo(90);
    assertThat(CaseTimer.percentile(sorted, 99)).isEqualTo(99);
    assertThat(CaseTimer.percentile(new long[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void aPathThatChoosesAnotherNodeAtOneStepIsCountedAndReported() {
    List<Optional<String>> oracle = List.of(Optional.of("node-1"), Optional.of("node-2"));
    var c =
        new BenchCase(
            "binpack",
            "drl",
            "sequence",
            2,
            step -> Optional.of("node-1"),
            oracle,
            "binpack oracle sequence");
    CaseResult r = new CaseTimer(Duration.ZERO, Duration.ofMillis(20)).time(c);
    assertThat(r.calls()).isPositive();
    assertThat(r.checked()).isEqualTo(r.calls());
    assertThat(r.disagreements()).isEqualTo(r.calls() / 2);
    assertThat(r.firstDisagreement()).isEqualTo("step 1: got node-1, oracle node-2");
    var report =
        BenchReport.of(
            new BenchReport.Settings(1, 1, 0, 0.02, List.of("binpack"), "", 1, -1, ""), List.of(r));
    assertThat(report.disagreeing())
        .extracting(BenchReport.Row::name)
        .containsExactly("binpack drl sequence");
    assertThat(report.rows().get(0).ratioP50()).as("its oracle was not measured").isNull();
  }
}
