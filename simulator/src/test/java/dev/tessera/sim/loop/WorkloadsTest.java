package dev.tessera.sim.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.sim.trace.OpenbConverter;
import dev.tessera.sim.trace.RepoTraces;
import dev.tessera.sim.trace.Trace;
import dev.tessera.sim.trace.TracePod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tessera's seeded tuning and shuffle (docs/trace-format.md) on the shipped openb trace. */
class WorkloadsTest {
  private static Trace openb;

  @BeforeAll
  static void load() {
    openb =
        new OpenbConverter()
            .read(
                RepoTraces.file("openb/openb_pod_list_default.csv"),
                RepoTraces.file("openb/openb_node_list_gpu_node.csv"));
  }

  private static long demand(List<TracePod> pods) {
    return pods.stream().mapToLong(TracePod::gpuDemandMilli).sum();
  }

  @Test
  void tuningUpLandsAtRatioTimesCapacityAsPolicies7_1Defines() {
    double target = 1.3 * 6212 * 1000; // 8,075,600 milli
    Map<String, TracePod> byName = new HashMap<>();
    openb.pods().forEach(p -> byName.put(p.name(), p));
    for (long seed = 42; seed <= 51; seed++) {
      List<TracePod> tuned = Workloads.tuned(openb.pods(), openb.nodes(), 1.3, new Random(seed));
      // the shuffled originals first, then the copies; arrival time = position
      assertThat(tuned.subList(0, 8152).stream().map(TracePod::name))
          .containsExactlyInAnyOrderElementsOf(byName.keySet());
      assertThat(tuned.get(100).createdAt()).isEqualTo(100);
      List<TracePod> copies = tuned.subList(8152, tuned.size());
      assertThat(copies).isNotEmpty();
      // every appended copy passed the per-GPU test A + m ≤ target when it was drawn
      long a = demand(openb.pods());
      for (int i = 0; i < copies.size(); i++) {
        TracePod c = copies.get(i);
        assertThat(c.name()).endsWith("-tuned-" + i);
        assertThat(a + c.gpuMilli()).isLessThanOrEqualTo((long) target);
        a += c.gpuDemandMilli();
        TracePod o = byName.get(c.name().substring(0, c.name().indexOf("-tuned-")));
        assertThat(c.gpuMilli()).isEqualTo(o.gpuMilli());
        assertThat(c.gpuCount()).isEqualTo(o.gpuCount());
        assertThat(c.cpuMilli()).isEqualTo(o.cpuMilli());
      }
      // the stopping draw failed the test: within one GPU below, at most an 8-GPU copy above
      assertThat((double) a).isGreaterThan(target - 1000).isLessThanOrEqualTo(target + 7000);
    }
  }

  @Test
  void copiesFollowThePodMixOfTheOriginals() {
    List<TracePod> tuned = Workloads.tuned(openb.pods(), openb.nodes(), 1.3, new Random(7));
    List<TracePod> copies = tuned.subList(8152, tuned.size());
    double cpuOnlyOriginal =
        openb.pods().stream().filter(p -> p.gpuCount() == 0).count() / (double) 8152;
    double cpuOnlyCopies =
        copies.stream().filter(p -> p.gpuCount() == 0).count() / (double) copies.size();
    assertThat(cpuOnlyCopies).isCloseTo(cpuOnlyOriginal, Offset.offset(0.03));
    assertThat(copies.size()).isBetween(2400, 3100);
  }

  @Test
  void tuningDownRemovesPodsUntilDemandIsAtMostTheTarget() {
    double target = 0.5 * 6212 * 1000;
    List<TracePod> tuned = Workloads.tuned(openb.pods(), openb.nodes(), 0.5, new Random(42));
    assertThat((double) demand(tuned)).isLessThanOrEqualTo(target).isGreaterThan(target - 8000);
  }

  @Test
  void sameSeedSameArrivalsWhateverTheInputOrder() {
    List<TracePod> reversed = new ArrayList<>(openb.pods());
    Collections.reverse(reversed);
    List<TracePod> a = Workloads.tuned(openb.pods(), openb.nodes(), 1.3, new Random(42));
    assertThat(Workloads.tuned(reversed, openb.nodes(), 1.3, new Random(42))).isEqualTo(a);
    assertThat(Workloads.tuned(openb.pods(), openb.nodes(), 1.3, new Random(43))).isNotEqualTo(a);
  }

  @Test
  void refusesTuningThatCannotWork() {
    TracePod cpu = new TracePod("c", 1, 1, 0, 0, 0, 0, "", 0, -1);
    assertThatThrownBy(() -> Workloads.tuned(List.of(cpu), openb.nodes(), 1.3, new Random(1)))
        .hasMessageContaining("no pod asks for a GPU");
    assertThatThrownBy(() -> Workloads.tuned(openb.pods(), List.of(), 1.3, new Random(1)))
        .hasMessageContaining("the cluster has no GPUs");
    assertThatThrownBy(() -> Workloads.tuned(openb.pods(), openb.nodes(), 0, new Random(1)))
        .hasMessageContaining("expected a positive number");
  }
}
