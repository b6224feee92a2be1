package dev.tessera.sim.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(1_000 * SECOND);

  private static List<String> lines(StringWriter w) {
    return Arrays.asList(w.toString().split("\\R"));
  }

  @Test
  void plainOutputPrintsALineEveryTenPercentWithRateAndEta() {
    StringWriter w = new StringWriter();
    try (Progress p = new Progress(w, false, now::get, "simulate")) {
      Progress.Task a = p.task("fgd", 500);
      Progress.Task b = p.task("bestfit", 500);
      for (int i = 0; i < 100; i++) {
        now.addAndGet(SECOND / 10); // 100 events per second overall
        a.advance(5);
        b.advance(5);
      }
      a.finish();
      b.finish();
    }
    List<String> out = lines(w);
    assertThat(out.get(0)).isEqualTo("simulate:  10% 100/1,000 events, 100/s, ETA 9s");
    assertThat(out.get(4)).isEqualTo("simulate:  50% 500/1,000 events, 100/s, ETA 5s");
    assertThat(out).filteredOn(l -> l.contains("%")).hasSize(10);
    assertThat(out.get(9)).isEqualTo("simulate: 100% 1,000/1,000 events, 100/s, done in 10s");
    assertThat(out.subList(10, 12))
        .containsExactly(
            "simulate: fgd done, 500 events in 10.0 s",
            "simulate: bestfit done, 500 events in 10.0 s");
    assertThat(out).hasSize(12);
    assertThat(w.toString()).doesNotContain("\r");
  }

  @Test
  void plainOutputSpeaksUpAtLeastEveryFiveSecondsWhenSlow() {
    StringWriter w = new StringWriter();
    Progress p = new Progress(w, false, now::get, "simulate");
    Progress.Task t = p.task("fgd", 1_000);
    now.addAndGet(3 * SECOND);
    t.advance(10); // 1 %, 3 s: nothing yet
    assertThat(w.toString()).isEmpty();
    now.addAndGet(3 * SECOND);
    t.advance(10); // 2 %, 6 s since the start
    assertThat(lines(w)).containsExactly("simulate:   2% 20/1,000 events, 3/s, ETA 4m54s");
  }

  @Test
  void terminalRedrawsOneLineInPlaceAtMostEveryHundredMillis() {
    StringWriter w = new StringWriter();
    Progress p = new Progress(w, true, now::get, "simulate");
    Progress.Task a = p.task("fgd", 1_000);
    Progress.Task b = p.task("bestfit", 1_000);
    for (int i = 0; i < 100; i++) {
      now.addAndGet(SECOND / 100); // 10 ms per step: one redraw per 10 steps
      a.advance(10);
      b.advance(5);
    }
    String s = w.toString();
    assertThat(s).doesNotContain("\n");
    String[] frames = s.split("\r", -1);
    assertThat(frames.length - 1).isEqualTo(10);
    String last = frames[frames.length - 1];
    assertThat(last.strip())
        .isEqualTo(
            // the last redraw came at 910 ms, on fgd's 91st step
            "simulate [################--------]  68% 1,360/2,000 events, 1,495/s, ETA 1s"
                + " | fgd  91% bestfit  45%");
    b.finish();
    p.close();
    String end = w.toString();
    assertThat(end).endsWith(System.lineSeparator());
    String[] all = end.strip().split("\r");
    assertThat(all[all.length - 1])
        .startsWith("simulate [########################] 100% 2,000/2,000 events")
        .contains("done in 1s");
  }

  @Test
  void parallelTasksCountExactly() throws InterruptedException {
    StringWriter w = new StringWriter();
    AtomicLong clock = new AtomicLong();
    Progress p = new Progress(w, false, () -> clock.addAndGet(1_000), "simulate");
    List<Thread> threads = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      Progress.Task t = p.task("p" + k, 10_000);
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  t.advance();
                }
                t.finish();
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    p.close();
    List<String> out = lines(w);
    // every line whole (no interleaving), percent lines in increasing order, 100 % exactly once
    assertThat(out).allMatch(l -> l.startsWith("simulate: "));
    List<String> pct = out.stream().filter(l -> l.contains("events,")).toList();
    assertThat(pct).filteredOn(l -> l.contains("100% 40,000/40,000")).hasSize(1);
    assertThat(pct).hasSize(10);
    assertThat(out).filteredOn(l -> l.endsWith("events in 0.0 s")).hasSize(4);
  }

  @Test
  void durationsReadNaturally() {
    assertThat(Progress.duration(0.2)).isEqualTo("1s");
    assertThat(Progress.duration(59)).isEqualTo("59s");
    assertThat(Progress.duration(61)).isEqualTo("1m01s");
    assertThat(Progress.duration(7322)).isEqualTo("2h02m");
  }
}
