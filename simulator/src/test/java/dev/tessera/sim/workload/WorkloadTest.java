package dev.tessera.sim.workload;

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
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorkloadTest {
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
    for (long seed = 42; seed <= 51; seed++) {
      List<TracePod> shuffled = Workload.shuffle(openb.pods(), seed);
      List<TracePod> tuned = Workload.tune(shuffled, openb.nodes(), 1.3, seed);
      // originals first, in the given order; copies after
      assertThat(tuned.subList(0, 8152)).isEqualTo(shuffled);
      List<TracePod> copies = tuned.subList(8152, tuned.size());
      assertThat(copies).isNotEmpty();
      // every appended copy passed the per-GPU test A + m ≤ target when it was drawn
      long a = demand(shuffled);
      for (int i = 0; i < copies.size(); i++) {
        TracePod c = copies.get(i);
        assertThat(c.name()).endsWith("-tuned-" + i);
        assertThat(a + c.gpuMilli()).isLessThanOrEqualTo((long) target);
        a += c.gpuDemandMilli();
      }
      // the stopping draw failed the test, so A is within one GPU of the target; multi-GPU copies
      // may overshoot by at most 7 × 1000 (an 8-GPU copy)
      assertThat((double) a).isGreaterThan(target - 1000).isLessThanOrEqualTo(target + 7000);
      // copies are copies of originals, request for request
      Map<String, TracePod> byName = new HashMap<>();
      openb.pods().forEach(p -> byName.put(p.name(), p));
      for (TracePod c : copies) {
        TracePod o = byName.get(c.name().substring(0, c.name().indexOf("-tuned-")));
        assertThat(c.gpuMilli()).isEqualTo(o.gpuMilli());
        assertThat(c.gpuCount()).isEqualTo(o.gpuCount());
        assertThat(c.cpuMilli()).isEqualTo(o.cpuMilli());
      }
    }
  }

  @Test
  void copiesFollowThePodMixOfTheOriginals() {
    List<TracePod> tuned = Workload.arrivals(openb.pods(), openb.nodes(), 1.3, 7);
    List<TracePod> copies = tuned.subList(8152, tuned.size());
    // about (8,075,600 − 6,086,800) / mean demand copies; the share of CPU-only copies is close to
    // the originals' share (uniform draws over pods)
    double cpuOnlyOriginal =
        openb.pods().stream().filter(p -> p.gpuCount() == 0).count() / (double) 8152;
    double cpuOnlyCopies =
        copies.stream().filter(p -> p.gpuCount() == 0).count() / (double) copies.size();
    assertThat(cpuOnlyCopies).isCloseTo(cpuOnlyOriginal, org.assertj.core.data.Offset.offset(0.03));
    assertThat(copies.size()).isBetween(2400, 3100);
  }

  @Test
  void tuningDownRemovesPodsUntilDemandIsAtMostTheTarget() {
    double target = 0.5 * 6212 * 1000;
    List<TracePod> tuned = Workload.tune(openb.pods(), openb.nodes(), 0.5, 42);
    long a = demand(tuned);
    assertThat((double) a).isLessThanOrEqualTo(target).isGreaterThan(target - 8000);
    // what is left keeps the input order
    List<String> names = openb.pods().stream().map(TracePod::name).toList();
    List<Integer> idx = tuned.stream().map(p -> names.indexOf(p.name())).toList();
    assertThat(idx).isSorted();
  }

  @Test
  void shuffleIsASeededPermutationIndependentOfInputOrder() {
    List<TracePod> a = Workload.shuffle(openb.pods(), 42);
    List<TracePod> reversed = new ArrayList<>(openb.pods());
    Collections.reverse(reversed);
    assertThat(Workload.shuffle(reversed, 42)).isEqualTo(a);
    assertThat(a).containsExactlyInAnyOrderElementsOf(openb.pods());
    assertThat(Workload.shuffle(openb.pods(), 43)).isNotEqualTo(a);
    assertThat(a).isNotEqualTo(openb.pods());
    // same seed, same arrivals, including the copies
    assertThat(Workload.arrivals(openb.pods(), openb.nodes(), 1.3, 42))
        .isEqualTo(Workload.arrivals(reversed, openb.nodes(), 1.3, 42));
  }

  @Test
  void refusesTuningThatCannotWork() {
    TracePod cpu = new TracePod("c", 1, 1, 0, 0, 0, 0, "", 0, -1);
    assertThatThrownBy(() -> Workload.tune(List.of(cpu), openb.nodes(), 1.3, 1))
        .hasMessageContaining("no pod asks for a GPU");
    assertThatThrownBy(() -> Workload.tune(openb.pods(), List.of(), 1.3, 1))
        .hasMessageContaining("the cluster has no GPUs");
    assertThatThrownBy(() -> Workload.tune(openb.pods(), openb.nodes(), 0, 1))
        .hasMessageContaining("expected a positive number");
    assertThat(
            openb.pods().stream()
                .collect(Collectors.groupingBy(TracePod::gpuCount, Collectors.counting())))
        .containsKey(8);
  }
}
