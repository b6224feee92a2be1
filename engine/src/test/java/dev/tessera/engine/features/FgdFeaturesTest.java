package dev.tessera.engine.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.features.TargetWorkload.TypicalPod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed examples for the FGD functions; each test names its section of policies.md. */
class FgdFeaturesTest {
  private static final double EPS = 1e-9;

  /** T = {A: cpu 1000, 500 milli on 1 GPU, p 0.5; B: CPU-only cpu 2000, p 0.5}. */
  private static Fragmentation twoClasses() {
    return new Fragmentation(
        new TargetWorkload(
            List.of(
                new TypicalPod(1000, 500, 1, "", 1, 0.5), new TypicalPod(2000, 0, 0, "", 1, 0.5)),
            2,
            2));
  }

  /** T = {A: cpu 1000, 500 milli on 1 GPU, p 1}. */
  private static Fragmentation oneClass() {
    return new Fragmentation(
        new TargetWorkload(List.of(new TypicalPod(1000, 500, 1, "", 1, 1.0)), 1, 1));
  }

  @Test
  void section6_2_q3TaskCountsOnlyTooSmallGpusAndXlCountsAllIdle() {
    // A fits (GPU 1 has 1000 ≥ 500, c ≥ 1000) → Q3: 0.5·300 to Q2, 0.5·1000 to Q3.
    // B is CPU-only and fits → XL: 0.5·1300. F = 150 + 650.
    var f = twoClasses();
    double[] b = f.buckets(4000, new int[] {300, 1000}, "G2");
    assertThat(b).containsExactly(new double[] {0, 150, 500, 0, 650, 0, 0}, within());
    assertThat(Fragmentation.fragOf(b)).isEqualTo(800.0);
    assertThat(Fragmentation.idleOf(b)).isEqualTo(1300.0);
    assertThat(f.nodeFrag(4000, new int[] {300, 1000}, "G2")).isEqualTo(800.0);
  }

  @Test
  void section6_2_cpuShortageMovesTasksToQ4AndXr() {
    var f = twoClasses();
    // c = 1500: A still Q3, B lacks CPU → XR.
    assertThat(f.buckets(1500, new int[] {300, 1000}, "G2"))
        .containsExactly(new double[] {0, 150, 500, 0, 0, 650, 0}, within());
    // c = 500: A fits on GPU but not CPU → Q4 (all idle), B → XR.
    assertThat(f.nodeFrag(500, new int[] {300, 1000}, "G2")).isEqualTo(1300.0);
    // No GPU with ≥ 500 idle, CPU fits → Q2 (all idle); B → XL.
    assertThat(f.buckets(4000, new int[] {300, 400}, "G2"))
        .containsExactly(new double[] {0, 350, 0, 0, 350, 0, 0}, within());
    // Neither fits → Q1.
    assertThat(f.buckets(500, new int[] {300, 400}, "G2"))
        .containsExactly(new double[] {350, 0, 0, 0, 0, 350, 0}, within());
  }

  @Test
  void section6_2_multiGpuTaskNeedsKGpusEachWithMIdle() {
    // k = 2 whole GPUs: one fully idle GPU is not enough → Q2 with all idle.
    var f =
        new Fragmentation(
            new TargetWorkload(List.of(new TypicalPod(1000, 1000, 2, "", 1, 1.0)), 1, 1));
    assertThat(f.nodeFrag(4000, new int[] {1000, 900}, "G2")).isEqualTo(1900.0);
    assertThat(f.nodeFrag(4000, new int[] {1000, 1000, 900}, "G2")).isEqualTo(900.0);
  }

  @Test
  void section3_2_and_6_2_specNotAdmittingModelIsNoAccess() {
    var f =
        new Fragmentation(
            new TargetWorkload(
                List.of(new TypicalPod(1000, 500, 1, "V100M16|V100M32", 1, 1.0)), 1, 1));
    assertThat(f.buckets(4000, new int[] {1000}, "G3"))
        .containsExactly(new double[] {0, 0, 0, 0, 0, 0, 1000}, within());
    assertThat(f.buckets(4000, new int[] {1000}, "V100M32")[Fragmentation.Q3_SATISFIED])
        .isEqualTo(1000.0);
  }

  @Test
  void section3_2_gpuTypeConstraint() {
    assertThat(GpuTypes.admits("", "G1")).isTrue();
    assertThat(GpuTypes.admits("|", "G1")).isTrue();
    assertThat(GpuTypes.admits("V100M16|V100M32", "V100M16")).isTrue();
    assertThat(GpuTypes.admits("V100M16|V100M32", "V100M32")).isTrue();
    assertThat(GpuTypes.admits("V100M16|V100M32", "V100M3")).isFalse();
    assertThat(GpuTypes.admits("V100M16|V100M32", "V100M16X")).isFalse();
    assertThat(GpuTypes.admits("V100M16||", "V100M16")).isTrue();
    assertThat(GpuTypes.admits("G1", "")).isFalse();
    assertThat(GpuTypes.unconstrained("||")).isTrue();
    assertThat(GpuTypes.unconstrained("|G1")).isFalse();
  }

  @Test
  void section6_3_unchangedFragScoresExactly50() {
    assertThat(FgdScore.fromDelta(1234.5, 1234.5)).isEqualTo(50);
    // 100·σ(−0.4) = 40.13 → 40; 100·σ(0.4) = 59.87 → 59 (truncation, not rounding).
    assertThat(FgdScore.fromDelta(0, 400)).isEqualTo(40);
    assertThat(FgdScore.fromDelta(400, 0)).isEqualTo(59);
  }

  @Test
  void section6_3_and_6_4_sharingPodPrefersTheTightGpu() {
    var f = oneClass();
    var node = new FgdNode(4000, 0, new int[] {600, 1000}, "G2");
    var pod = FgdPod.of(1000, 1, 600);
    // GPU 0 → [0, 1000]: A still fits on GPU 1, F stays 0 → 50.
    // GPU 1 → [600, 400]: GPU 1 too small for A, F = 400 → trunc(100·σ(−0.4)) = 40.
    assertThat(FgdScore.score(f, node, pod)).isEqualTo(50);
    assertThat(FgdScore.selectGpus(f, node, pod)).containsExactly(0);
  }

  @Test
  void section6_4_tiesGoToTheFirstGpuIndex() {
    var f = oneClass();
    var node = new FgdNode(4000, 0, new int[] {600, 1000}, "G2");
    // m = 100: both choices keep every GPU ≥ 500, both score 50 → index 0.
    assertThat(FgdScore.selectGpus(f, node, FgdPod.of(1000, 1, 100))).containsExactly(0);
    var empty = FgdNode.empty(4000, 0, 2, "G2");
    // m = 600 on an empty node: 40 either way → index 0.
    assertThat(FgdScore.score(f, empty, FgdPod.of(1000, 1, 600))).isEqualTo(40);
    assertThat(FgdScore.selectGpus(f, empty, FgdPod.of(1000, 1, 600))).containsExactly(0);
  }

  @Test
  void section6_3_wholeGpuAndCpuOnlyPods() {
    var f = oneClass();
    // Whole GPU takes the fully idle GPU 1; GPU 0 (600) still hosts A → F = 0 → 50.
    var node = new FgdNode(4000, 0, new int[] {600, 1000}, "G2");
    assertThat(FgdScore.score(f, node, FgdPod.of(1000, 1, 1000))).isEqualTo(50);
    assertThat(FgdScore.selectGpus(f, node, FgdPod.of(1000, 1, 1000))).containsExactly(1);
    // CPU-only pod leaves c = 500 < 1000 → A becomes Q4, F = 2000 → trunc(100·σ(−2)) = 11.
    var empty = FgdNode.empty(4000, 0, 2, "G2");
    assertThat(FgdScore.score(f, empty, FgdPod.of(3500, 0, 0))).isEqualTo(11);
    assertThat(FgdScore.selectGpus(f, empty, FgdPod.of(3500, 0, 0))).isEmpty();
  }

  @Test
  void section6_1_typicalPodsTakeShortestPrefixReaching95Percent() {
    List<FgdPod> pods = new ArrayList<>();
    addCopies(pods, 10, FgdPod.of(3152, 1, 810));
    addCopies(pods, 6, FgdPod.of(11300, 1, 1000));
    addCopies(pods, 3, FgdPod.of(12500, 0, 0));
    addCopies(pods, 1, FgdPod.of(4000, 8, 1000));
    var t = TargetWorkload.fromPods(pods);
    // cum after 3 keys = 19 = 95 % of 20 exactly, so the loop stops there.
    assertThat(t.size()).isEqualTo(3);
    assertThat(t.cumulative()).isEqualTo(19);
    assertThat(t.classes().get(0).probability()).isEqualTo((10.0 / 20) / (19.0 / 20));
    assertThat(t.classes().get(2).gpuCount()).isZero();
  }

  @Test
  void section6_1_equalCountsSortByKeyDescending() {
    List<FgdPod> pods = new ArrayList<>();
    addCopies(pods, 2, FgdPod.of(2000, 1, 500));
    addCopies(pods, 2, FgdPod.of(3000, 1, 200));
    addCopies(pods, 2, FgdPod.of(3000, 1, 700));
    var t = TargetWorkload.fromPods(pods, 100);
    assertThat(t.classes())
        .extracting(TypicalPod::cpuMilli, TypicalPod::gpuMilli)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3000L, 700),
            org.assertj.core.groups.Tuple.tuple(3000L, 200),
            org.assertj.core.groups.Tuple.tuple(2000L, 500));
  }

  @Test
  void section5_2_dotProduct() {
    // a = (0.5, 0.5), b = (0.25, 0.0625): ip = 0.15625 → trunc(100·(1 − 0.078125)) = 92.
    assertThat(BaselineScores.dotProduct(64000, 4000, FgdPod.of(32000, 1, 500))).isEqualTo(92);
    assertThat(BaselineScores.dotProduct(1000, 4000, FgdPod.of(32000, 1, 500))).isZero();
  }

  @Test
  void section5_3_gpuClustering() {
    var share = FgdPod.of(1000, 1, 500);
    // T = 25·4000 div 8000 = 12.
    assertThat(BaselineScores.gpuClustering(4000, true, 1, share)).isEqualTo(87);
    assertThat(BaselineScores.gpuClustering(4000, true, 2, share)).isEqualTo(62);
    assertThat(BaselineScores.gpuClustering(4000, false, 0, share)).isEqualTo(37);
    assertThat(BaselineScores.gpuClustering(4000, false, 1, share)).isEqualTo(12);
    assertThat(BaselineScores.gpuClustering(7999, false, 1, share)).isZero(); // 25 div 8000
    assertThat(BaselineScores.gpuClustering(0, false, 1, share)).isEqualTo(25);
    assertThat(BaselineScores.gpuClustering(0, true, 1, FgdPod.of(1000, 0, 0))).isZero();
    assertThat(share.gpuTag()).isEqualTo("share");
    assertThat(FgdPod.of(1, 4, 1000).gpuTag()).isEqualTo("4-gpu");
  }

  @Test
  void section5_4_gpuPacking() {
    var share = FgdPod.of(1000, 1, 300);
    assertThat(BaselineScores.gpuPacking(new int[] {1000}, share)).isEqualTo(32);
    assertThat(BaselineScores.gpuPacking(new int[] {1000, 1000}, share)).isEqualTo(31);
    assertThat(BaselineScores.gpuPacking(new int[] {1000, 1000, 1000, 1000}, share)).isEqualTo(29);
    assertThat(BaselineScores.gpuPacking(full(8), share)).isEqualTo(25);
    // Partly used GPU of 600 idle: S = 60 → 100 − 6 = 94.
    assertThat(BaselineScores.gpuPacking(new int[] {1000, 600}, share)).isEqualTo(94);
    // Whole GPUs on a partly used node: u = 1 → 49, u = 2 → 48.
    assertThat(BaselineScores.gpuPacking(new int[] {500, 1000}, FgdPod.of(1, 1, 1000)))
        .isEqualTo(49);
    assertThat(BaselineScores.gpuPacking(new int[] {500, 1000, 1000, 1000}, FgdPod.of(1, 2, 1000)))
        .isEqualTo(48);
    assertThat(BaselineScores.gpuPacking(new int[] {0, 600}, FgdPod.of(1, 0, 0))).isZero();
  }

  @Test
  void section5_5_and_3_4_bestFitAndNormalisation() {
    // s = (32000/128000)·0.5 + (3500/8000)·0.5 = 0.34375 → trunc(65.625) = 65.
    assertThat(BaselineScores.bestFitRaw(64000, 4000, FgdPod.of(32000, 1, 500))).isEqualTo(65);
    int[] s = {65, 40, 90};
    BaselineScores.normalize(s, 3);
    assertThat(s).containsExactly(50, 0, 100);
    int[] same = {7, 7};
    BaselineScores.normalize(same, 2);
    assertThat(same).containsExactly(0, 0);
  }

  @Test
  void section3_1_filterAndSection4_bestSelector() {
    assertThat(FgdMath.gpusFit(new int[] {1000, 500, 1000}, 2, 1000)).isTrue();
    assertThat(FgdMath.gpusFit(new int[] {1000, 500, 500}, 2, 1000)).isFalse();
    assertThat(FgdMath.bestGpus(new int[] {700, 300, 300, 1000}, FgdPod.of(1, 1, 300)))
        .containsExactly(1);
    assertThat(FgdMath.bestGpus(new int[] {1000, 500, 1000, 1000}, FgdPod.of(1, 2, 1000)))
        .containsExactly(0, 2);
    var pod = new FgdPod(1000, 2048, 1, 500, "G2");
    assertThat(FgdMath.feasible(1000, 2048, 0, new int[] {500}, "G2", pod)).isTrue();
    assertThat(FgdMath.feasible(999, 2048, 0, new int[] {500}, "G2", pod)).isFalse();
    assertThat(FgdMath.feasible(1000, 2047, 0, new int[] {500}, "G2", pod)).isFalse();
    assertThat(FgdMath.feasible(1000, 2048, 1000, new int[] {500}, "G2", pod)).isTrue();
    assertThat(FgdMath.feasible(1000, 2048, 1001, new int[] {500}, "G2", pod)).isFalse();
    assertThat(FgdMath.feasible(1000, 2048, 0, new int[] {500}, "G3", pod)).isFalse();
  }

  @Test
  void section1_podShapes() {
    assertThat(FgdPod.of(0, 1, 500).nonZeroCpu()).isEqualTo(100);
    assertThat(FgdPod.of(0, 0, 700).gpuMilli()).isZero();
    assertThat(FgdPod.of(5, 2, 1000).gpuDemand()).isEqualTo(2000);
    assertThatThrownBy(() -> FgdPod.of(1, 2, 500))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole GPUs");
    assertThatThrownBy(() -> FgdPod.of(1, 1, 1001)).hasMessageContaining("[0,1000]");
  }

  private static void addCopies(List<FgdPod> pods, int n, FgdPod pod) {
    for (int i = 0; i < n; i++) {
      pods.add(pod);
    }
  }

  private static int[] full(int g) {
    int[] a = new int[g];
    java.util.Arrays.fill(a, 1000);
    return a;
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(EPS);
  }
}
