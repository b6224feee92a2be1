package dev.tessera.policies.plan;

import static dev.tessera.policies.plan.PlanFixtures.node;
import static dev.tessera.policies.plan.PlanFixtures.pod;
import static dev.tessera.policies.plan.PlanFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Gang placement: all pods of a batch or none, device capacity shared across the batch. */
class GangPlannerIT {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  private final GangPlanner planner = new GangPlanner();

  static List<String> policies() {
    return PlanPolicies.names();
  }

  private static List<PodRequest> gang(int n, int count, int memMiB, int cores) {
    return IntStream.range(0, n).mapToObj(i -> pod("job-" + i, count, memMiB, cores)).toList();
  }

  private static ClusterSnapshot cluster(int nodes, int gpus) {
    var list = new ArrayList<Node>();
    for (int i = 0; i < nodes; i++) {
      list.add(node("n" + i, gpus));
    }
    return ClusterSnapshot.of(list, List.of());
  }

  @ParameterizedTest(name = "{0}: a 40-pod job sharing GPUs is placed whole and never overbooks")
  @MethodSource("policies")
  void fortyPodJobIsPlacedWithoutOverbooking(String policy) {
    // 10 nodes x 4 GPUs; each pod takes 40 % of a GPU's cores, so at most 2 per GPU: 80 places
    // for 40 pods, but only if the plan accounts for the batch's own bookings.
    ClusterSnapshot snapshot = cluster(10, 4);
    List<PodRequest> pods = gang(40, 1, 10_240, 40);

    List<Placement> placed = planner.plan(pods, snapshot, policy, LIMIT).orElseThrow();

    assertThat(placed).hasSize(40);
    assertThat(placed).extracting(Placement::podKey).containsExactlyElementsOf(keys(pods));
    assertNoDeviceOverbooked(snapshot, placed);
    // gpu-binpack, gpu-spread and topology fit with their own GPU policy, the others the default
    String gpuPolicy =
        PlanPolicies.options(policy, dev.tessera.engine.decision.Engine.Options.DEFAULTS)
            .defaultGpuPolicy();
    assertAppliesInOrder(snapshot, pods, placed, gpuPolicy);
  }

  @Test
  void aGangLargerThanTheFreeGpusIsNotPlacedAtAll() {
    // 40 whole GPUs; 41 pods each wanting one whole GPU: every pod fits alone, the gang does not.
    ClusterSnapshot snapshot = cluster(10, 4);
    assertThat(planner.plan(gang(41, 1, 0, 100), snapshot, "binpack", LIMIT)).isEmpty();
    assertThat(planner.plan(gang(40, 1, 0, 100), snapshot, "binpack", LIMIT)).isPresent();
  }

  @Test
  void podsOfTheBatchDoNotShareAGpuBeyondItsMemory() {
    // One node, two GPUs with 50 GiB already used on gpu-0: two 40 GiB pods need both GPUs'
    // remaining room, so one must take gpu-1 even though gpu-0 alone fits each pod.
    ClusterSnapshot snapshot =
        ClusterSnapshot.of(List.of(node("n0", 2)), List.of(running("r", "n0", 0, 51_200, 0)));
    List<PodRequest> pods = gang(3, 1, 30_000, 0);

    List<Placement> placed = planner.plan(pods, snapshot, "binpack", LIMIT).orElseThrow();

    assertNoDeviceOverbooked(snapshot, placed);
    assertThat(planner.plan(gang(4, 1, 30_000, 0), snapshot, "binpack", LIMIT)).isEmpty();
  }

  @Test
  void binpackKeepsTheGangTogetherAndSpreadSpreadsIt() {
    ClusterSnapshot snapshot = cluster(3, 4);
    List<PodRequest> pods = gang(3, 1, 8_192, 10);

    var packed = planner.plan(pods, snapshot, "binpack", LIMIT).orElseThrow();
    var spread = planner.plan(pods, snapshot, "spread", LIMIT).orElseThrow();

    assertThat(packed).extracting(Placement::node).containsOnly("n0");
    assertThat(spread).extracting(Placement::node).containsExactlyInAnyOrder("n0", "n1", "n2");
  }

  @Test
  void aPodThatFitsNowhereLeavesTheWholeGangUnplaced() {
    var pods = new ArrayList<>(gang(3, 1, 1_024, 10));
    pods.add(pod("too-big", 5, 1_024, 10)); // 5 GPUs on 4-GPU nodes
    assertThat(planner.plan(pods, cluster(2, 4), "spread", LIMIT)).isEmpty();
  }

  @Test
  void rejectsUnknownPoliciesDuplicatePodsAndNoTime() {
    ClusterSnapshot snapshot = cluster(1, 1);
    assertThatThrownBy(() -> planner.plan(gang(1, 1, 1, 1), snapshot, "nope", LIMIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown plan policy \"nope\"")
        .hasMessageContaining("binpack");
    var twice = List.of(pod("a", 1, 1, 1), pod("a", 1, 1, 1));
    assertThatThrownBy(() -> planner.plan(twice, snapshot, "binpack", LIMIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("default/a is listed twice");
    assertThatThrownBy(() -> planner.plan(gang(1, 1, 1, 1), snapshot, "binpack", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("time limit must be positive");
  }

  private static List<String> keys(List<PodRequest> pods) {
    return pods.stream().map(PodRequest::key).toList();
  }

  /** Σ booked per GPU, over running and planned pods, stays within memory, cores and slots. */
  static void assertNoDeviceOverbooked(ClusterSnapshot snapshot, List<Placement> placed) {
    ClusterSnapshot after = snapshot;
    for (Placement p : placed) {
      after = after.assume(p);
    }
    for (ClusterSnapshot.NodeState s : after.nodes()) {
      for (DeviceUsage d : s.usage()) {
        assertThat(d.usedMemMiB()).as("memory of %s", d.id()).isLessThanOrEqualTo(d.totalMemMiB());
        assertThat(d.usedCores()).as("cores of %s", d.id()).isLessThanOrEqualTo(d.totalCores());
        assertThat(d.used()).as("slots of %s", d.id()).isLessThanOrEqualTo(d.count());
      }
    }
    Map<String, Integer> perGpu = new HashMap<>();
    for (Placement p : placed) {
      for (List<ContainerDevice> c : p.containers()) {
        for (ContainerDevice cd : c) {
          perGpu.merge(cd.uuid(), cd.usedCores(), Integer::sum);
        }
      }
    }
    assertThat(perGpu.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(100));
  }

  /**
   * Each placement is exactly what the engine's fit, under {@code gpuPolicy}, chooses after the
   * earlier ones.
   */
  static void assertAppliesInOrder(
      ClusterSnapshot snapshot, List<PodRequest> pods, List<Placement> placed, String gpuPolicy) {
    ClusterSnapshot snap = snapshot;
    for (int i = 0; i < placed.size(); i++) {
      Placement p = placed.get(i);
      var state = snap.node(p.node()).orElseThrow();
      var o =
          NodeEvaluator.evaluate(
              PodPlan.of(pods.get(i), gpuPolicy, null), state.node(), state.usage());
      assertThat(o).isInstanceOf(NodeEvaluator.Placed.class);
      assertThat(((NodeEvaluator.Placed) o).containers()).isEqualTo(p.containers());
      snap = snap.assume(p);
    }
  }
}
