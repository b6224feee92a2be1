package dev.tessera.engine.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Cost of one FGD decision over 1,213 nodes (the openb cluster size), F_before recomputed per node
 * as a stateless caller would. The synthetic workload has about as many typical classes as openb's
 * (35); cost grows linearly with |T| × GPUs per node. Prints the time; asserts only a very loose
 * bound so shared CI machines do not flake.
 */
class FgdDecisionTimingTest {
  @Test
  void scoresThousandsOfNodesPerDecisionQuickly() {
    var rnd = new Random(7);
    List<FgdPod> pods = new ArrayList<>();
    for (int i = 0; i < 8000; i++) {
      int kind = rnd.nextInt(4);
      long cpu = 4000L * (1 + rnd.nextInt(4));
      pods.add(
          switch (kind) {
            case 0 -> FgdPod.of(cpu, 0, 0);
            case 1 -> FgdPod.of(cpu, 1, 200 * (1 + rnd.nextInt(4)));
            case 2 -> FgdPod.of(cpu, 1, 1000);
            default -> FgdPod.of(cpu, 1 << rnd.nextInt(4), 1000);
          });
    }
    var frag = new Fragmentation(TargetWorkload.fromPods(pods));
    int n = 1213;
    long[] cpu = new long[n];
    int[][] idle = new int[n][];
    for (int i = 0; i < n; i++) {
      cpu[i] = 8000L * (1 + rnd.nextInt(16));
      idle[i] = new int[1 << rnd.nextInt(4)];
      for (int j = 0; j < idle[i].length; j++) {
        idle[i][j] = rnd.nextBoolean() ? 1000 : 100 * rnd.nextInt(11);
      }
    }
    var pod = FgdPod.of(4000, 1, 300);
    int decisions = 300;
    long sink = 0;
    long t0 = System.nanoTime();
    for (int d = 0; d < decisions; d++) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (cpu[i] < pod.cpuMilli() || !FgdMath.gpusFit(idle[i], 1, pod.gpuMilli())) {
          continue;
        }
        double before = frag.nodeFrag(cpu[i], idle[i], "G2");
        best = Math.max(best, FgdScore.score(frag, cpu[i], idle[i], "G2", before, pod));
      }
      sink += best;
    }
    double usPerDecision = (System.nanoTime() - t0) / 1000.0 / decisions;
    System.out.printf(
        "FGD: %.0f µs per decision over %d nodes (%d classes in T)%n",
        usPerDecision, n, frag.workload().size());
    assertThat(sink).isPositive();
    assertThat(usPerDecision).isLessThan(50_000);
  }
}
