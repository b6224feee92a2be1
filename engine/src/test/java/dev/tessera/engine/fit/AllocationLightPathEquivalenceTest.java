package dev.tessera.engine.fit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.fit.mig.MigPlanner;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.PairScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The placement hot path sorts device positions in place, scores one request without a list,
 * formats reasons without collections, skips the reason map, and rejects a node that certainly
 * cannot fit without scoring or sorting its devices. Over many seeded random nodes, requests and
 * pod annotations, each piece must give exactly what the straightforward version (boxed scored
 * devices sorted with the order's comparator, list-based score, sorted-list format) gives: same
 * devices, same reason string.
 */
class AllocationLightPathEquivalenceTest {
  private static final String[] POLICIES = {
    "binpack",
    "spread",
    "mutex",
    "numa",
    "topology-aware",
    "",
    "binpack,numa",
    "spread, numa",
    "numa,binpack",
    "binpack,topology-aware",
    "mutex,spread",
    "foo"
  };
  private static final String[] TYPES = {
    "NVIDIA A100-SXM4-80GB", "NVIDIA H100", "NVIDIA", "Tesla T4", "nvidia a10"
  };

  @Test
  void stableOrderEqualsComparatorSortOverRandomDevices() {
    Random rnd = new Random(7);
    for (int t = 0; t < 20_000; t++) {
      DeviceUsage[] devs = randomDevices(rnd);
      float[] scores = new float[devs.length];
      for (int i = 0; i < scores.length; i++) {
        // few distinct values so ties (where stability matters) are common
        scores[i] = rnd.nextInt(50) == 0 ? Float.NaN : rnd.nextInt(4) * 2.5f;
      }
      DeviceOrder order = DeviceOrder.of(POLICIES[rnd.nextInt(POLICIES.length)], rnd.nextBoolean());
      assertThat(NodeEvaluator.stableOrder(devs, scores, order))
          .as("case %d", t)
          .containsExactly(NodeEvaluator.sortedByComparator(devs, scores, order));
    }
  }

  @Test
  void singleRequestScoreEqualsListScore() {
    Random rnd = new Random(11);
    for (int t = 0; t < 20_000; t++) {
      DeviceUsage d = randomDevices(rnd)[0];
      GpuRequest r = randomRequest(rnd, rnd.nextBoolean() ? d.type() : GpuRequest.NVIDIA);
      var w = new ScoringWeights(rnd.nextInt(5), rnd.nextInt(5), rnd.nextInt(5));
      assertThat(Float.floatToRawIntBits(Scores.deviceScore(d, r, w)))
          .as("case %d", t)
          .isEqualTo(Float.floatToRawIntBits(Scores.deviceScore(d, List.of(r), w)));
    }
  }

  @Test
  void reasonFormatEqualsSortedJoinOfParts() {
    Random rnd = new Random(13);
    for (int t = 0; t < 20_000; t++) {
      int[] counts = new int[FitReason.size()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(rnd.nextBoolean() ? 10 : 200) : 0;
      }
      int total = rnd.nextInt(300);
      List<String> parts = new ArrayList<>();
      for (FitReason r : FitReason.values()) {
        if (counts[r.ordinal()] > 0) {
          parts.add(counts[r.ordinal()] + "/" + total + " " + r.name());
        }
      }
      Collections.sort(parts);
      assertThat(FitReason.format(counts, total))
          .as("case %d", t)
          .isEqualTo(String.join(", ", parts));
    }
  }

  @Test
  void containerFitEqualsStraightforwardPathOverRandomNodes() {
    Random rnd = new Random(17);
    int rejected = 0;
    int shortcut = 0;
    for (int t = 0; t < 20_000; t++) {
      DeviceUsage[] devs = randomDevices(rnd);
      GpuRequest request = randomRequest(rnd, rnd.nextInt(20) == 0 ? "AMD" : GpuRequest.NVIDIA);
      PodPlan plan = randomPlan(rnd, devs, request);
      Set<String> cordoned = rnd.nextInt(5) == 0 ? Set.of(devs[0].id()) : Set.of();
      PairScores pairs = randomPairs(rnd, devs);
      if (NodeEvaluator.cannotFit(devs, request, plan.selectors(), cordoned, QuotaGate.OPEN)) {
        shortcut++;
      }
      DeviceUsage[] a = devs.clone();
      DeviceUsage[] b = devs.clone();
      var fast = NodeEvaluator.fitInDevices(a, request, plan, pairs, cordoned, QuotaGate.OPEN);
      var reference = straightforward(b, request, plan, pairs, cordoned);
      assertThat(fast).as("case %d", t).isEqualTo(reference);
      assertThat(a).as("case %d booked usage", t).containsExactly(b);
      if (!fast.fits()) {
        rejected++;
      }
    }
    // both outcomes must be well represented for the comparison to mean anything
    assertThat(rejected).isBetween(2_000, 18_000);
    // and the unsorted early rejection must be exercised often
    assertThat(shortcut).isGreaterThan(2_000);
  }

  /** The pre-optimisation fitInDevices: boxed scored devices, comparator sort, full FitResult. */
  private static NodeEvaluator.ContainerFit straightforward(
      DeviceUsage[] working,
      GpuRequest request,
      PodPlan plan,
      PairScores pairScores,
      Set<String> cordoned) {
    if (!GpuRequest.NVIDIA.equals(request.type())) {
      return new NodeEvaluator.ContainerFit(false, List.of(), NodeEvaluator.DEVICE_TYPE_NOT_FOUND);
    }
    PodSelectors sel = plan.selectors();
    DeviceOrder.ScoredDevice[] scored = new DeviceOrder.ScoredDevice[working.length];
    for (int i = 0; i < working.length; i++) {
      scored[i] =
          new DeviceOrder.ScoredDevice(
              working[i], Scores.deviceScore(working[i], List.of(request), sel.weights()));
    }
    Arrays.sort(scored, plan.order().comparator());
    List<DeviceUsage> candidates = new ArrayList<>();
    for (DeviceOrder.ScoredDevice s : scored) {
      if (Text.containsIgnoreCase(s.usage().type(), request.type())) {
        candidates.add(s.usage());
      }
    }
    boolean mig = MigPlanner.isMigRequest(request.type(), candidates, sel.vgpuMode());
    if (!mig && request.count() > candidates.size()) {
      return new NodeEvaluator.ContainerFit(
          false, List.of(), NodeEvaluator.NODE_INSUFFICIENT_DEVICE);
    }
    FitResult r = DeviceFit.fit(candidates, request, sel, cordoned, pairScores, QuotaGate.OPEN);
    if (!r.fits()) {
      return new NodeEvaluator.ContainerFit(false, List.of(), r.reason());
    }
    List<ContainerDevice> booked = new ArrayList<>();
    for (ContainerDevice cd : r.devices()) {
      int pos = -1;
      for (int i = 0; i < working.length && pos < 0; i++) {
        if (working[i].id().equals(cd.uuid())) {
          pos = i;
        }
      }
      working[pos] = working[pos].plus(1, cd.usedMemMiB(), cd.usedCores());
      booked.add(cd);
    }
    return new NodeEvaluator.ContainerFit(true, booked, "");
  }

  private static DeviceUsage[] randomDevices(Random rnd) {
    int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 16 : 8);
    DeviceUsage[] out = new DeviceUsage[n];
    for (int i = 0; i < n; i++) {
      int mem = rnd.nextBoolean() ? 81920 : 16384;
      int split = rnd.nextInt(12);
      var gpu =
          new GpuDevice(
              "GPU-" + i,
              rnd.nextInt(8) == 0 ? rnd.nextInt(n) : i,
              TYPES[rnd.nextInt(TYPES.length)],
              rnd.nextInt(30) == 0 ? 0 : mem,
              rnd.nextInt(30) == 0 ? 0 : 100,
              split,
              rnd.nextInt(2),
              rnd.nextInt(12) != 0,
              rnd.nextInt(6) == 0 ? "" : GpuDevice.MODE_HAMI_CORE,
              List.of());
      int used = split == 0 ? 0 : rnd.nextInt(split + 1);
      out[i] =
          new DeviceUsage(
              gpu,
              used,
              used == 0 ? 0 : rnd.nextInt(mem + 1),
              used == 0 ? 0 : rnd.nextInt(101),
              List.of());
    }
    return out;
  }

  private static GpuRequest randomRequest(Random rnd, String type) {
    int count = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 6 : 2);
    boolean percent = rnd.nextInt(4) == 0;
    return new GpuRequest(
        count,
        type,
        percent ? 0 : rnd.nextInt(50000),
        percent ? rnd.nextInt(101) : GpuRequest.PERCENT_UNSET,
        rnd.nextInt(8) == 0 ? 100 + rnd.nextInt(20) : rnd.nextInt(101));
  }

  private static PodPlan randomPlan(Random rnd, DeviceUsage[] devs, GpuRequest request) {
    Map<String, String> ann = new HashMap<>();
    ann.put("hami.io/gpu-scheduler-policy", POLICIES[rnd.nextInt(POLICIES.length)]);
    if (rnd.nextInt(4) == 0) {
      ann.put("nvidia.com/numa-bind", "true");
    }
    if (rnd.nextInt(8) == 0) {
      ann.put("nvidia.com/use-gpuuuid", devs[rnd.nextInt(devs.length)].id());
    }
    if (rnd.nextInt(8) == 0) {
      ann.put("nvidia.com/nouse-gputype", "H100");
    }
    if (rnd.nextInt(10) == 0) {
      ann.put("nvidia.com/vgpu-mode", "hami-core");
    }
    PodSelectors sel = PodSelectors.parse(ann, "spread");
    return new PodPlan(
        List.of(request),
        0,
        sel,
        DeviceOrder.of(sel.gpuPolicy(), sel.numaBind()),
        PodPlan.QuotaGates.NONE);
  }

  private static PairScores randomPairs(Random rnd, DeviceUsage[] devs) {
    Map<String, Map<String, Integer>> m = new HashMap<>();
    for (DeviceUsage a : devs) {
      Map<String, Integer> row = new HashMap<>();
      for (DeviceUsage b : devs) {
        if (!a.id().equals(b.id())) {
          row.put(b.id(), rnd.nextInt(100));
        }
      }
      m.put(a.id(), row);
    }
    return new PairScores(m);
  }
}
