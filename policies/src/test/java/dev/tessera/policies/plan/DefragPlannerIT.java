package dev.tessera.policies.plan;

import static dev.tessera.policies.plan.PlanFixtures.node;
import static dev.tessera.policies.plan.PlanFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.engine.usage.CachedPod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Defragmentation plans: valid moves in order, honest before/after figures, GPUs freed. */
class DefragPlannerIT {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private static final TargetWorkload WHOLE_GPUS =
      new TargetWorkload(List.of(new TargetWorkload.TypicalPod(100, 1000, 1, "", 1, 1.0)), 1, 1);

  private final DefragPlanner planner = new DefragPlanner();

  /** n0: a on gpu-0, b on gpu-1; n1: c on gpu-0, gpu-1 idle; each pod 300 milli-GPU. */
  private static final ClusterSnapshot THREE_SHARED =
      ClusterSnapshot.of(
          List.of(node("n0", 2), node("n1", 2)),
          List.of(
              running("a", "n0", 0, 8_192, 30),
              running("b", "n0", 1, 8_192, 30),
              running("c", "n1", 0, 8_192, 30)));

  @Test
  void twoMovesConsolidateThreeSharedGpusIntoOne() {
    DefragPlan plan = planner.plan(THREE_SHARED, WHOLE_GPUS, 2, LIMIT);

    // a and b join c on n1, or a joins b on n0 and c follows: either way one GPU holds all three
    assertThat(plan.freedGpus()).isEqualTo(2);
    assertThat(plan.moves()).hasSize(2);
    assertThat(plan.fragBefore()).isEqualTo(1400 + 700);
    assertThat(plan.fragAfter()).isEqualTo(100);
    ClusterSnapshot after = assertValid(THREE_SHARED, plan, WHOLE_GPUS);
    assertThat(after.nodes().stream().flatMap(n -> n.usage().stream()))
        .filteredOn(d -> d.used() > 0)
        .singleElement()
        .satisfies(d -> assertThat(d.usedCores()).isEqualTo(90));
  }

  @Test
  void oneMoveFreesOneGpu() {
    DefragPlan plan = planner.plan(THREE_SHARED, WHOLE_GPUS, 1, LIMIT);

    assertThat(plan.moves()).hasSize(1);
    assertThat(plan.freedGpus()).isEqualTo(1);
    assertThat(plan.fragAfter()).isLessThan(plan.fragBefore());
    assertValid(THREE_SHARED, plan, WHOLE_GPUS);
  }

  @Test
  void sharedGpusWithinOneNodeAreConsolidated() {
    // one node, four GPUs each holding one 30 % pod: three move onto the same GPU, freeing three
    var snapshot =
        ClusterSnapshot.of(
            List.of(node("n0", 4)),
            List.of(
                running("a", "n0", 0, 8_192, 30),
                running("b", "n0", 1, 8_192, 30),
                running("c", "n0", 2, 8_192, 30),
                running("d", "n0", 3, 8_192, 10)));
    DefragPlan plan = planner.plan(snapshot, WHOLE_GPUS, 4, LIMIT);

    assertThat(plan.freedGpus()).isEqualTo(3);
    assertThat(plan.moves()).hasSize(3);
    assertThat(plan.moves()).allSatisfy(m -> assertThat(m.to()).isEqualTo("n0"));
    assertValid(snapshot, plan, WHOLE_GPUS);
  }

  @Test
  void zeroMovesLeavesTheClusterAsItIs() {
    DefragPlan plan = planner.plan(THREE_SHARED, WHOLE_GPUS, 0, LIMIT);

    assertThat(plan.moves()).isEmpty();
    assertThat(plan.freedGpus()).isZero();
    assertThat(plan.fragAfter()).isEqualTo(plan.fragBefore());
  }

  @Test
  void podsHoldingWholeGpusAreNeverMoved() {
    var snapshot =
        ClusterSnapshot.of(
            List.of(node("n0", 2), node("n1", 2)),
            List.of(running("whole", "n0", 0, 81_920, 100), running("s", "n1", 0, 8_192, 30)));
    DefragPlan plan = planner.plan(snapshot, WHOLE_GPUS, 5, LIMIT);

    assertThat(plan.moves()).extracting(DefragPlan.Move::podKey).doesNotContain("default/whole");
    assertValid(snapshot, plan, WHOLE_GPUS);
  }

  @Test
  void seededRandomClustersGetValidPlans() {
    int freed = 0;
    for (long seed = 1; seed <= 12; seed++) {
      ClusterSnapshot snapshot = randomCluster(new Random(seed));
      DefragPlan plan = planner.plan(snapshot, 3, Duration.ofSeconds(3));
      assertThat(plan.moves()).as("seed %d", seed).hasSizeLessThanOrEqualTo(3);
      assertThat(plan.freedGpus()).as("seed %d", seed).isGreaterThanOrEqualTo(0);
      assertValid(snapshot, plan, runningWorkload(snapshot));
      freed += plan.freedGpus();
    }
    // the generator must leave room to consolidate, or the property says little
    assertThat(freed).isPositive();
  }

  /**
   * Re-makes every move in order, re-checking it with the engine's fit, and recomputes the figures
   * from the result.
   */
  private static ClusterSnapshot assertValid(
      ClusterSnapshot snapshot, DefragPlan plan, TargetWorkload t) {
    ClusterSnapshot snap = snapshot;
    for (DefragPlan.Move m : plan.moves()) {
      assertThat(snap.nodeOf(m.podKey())).as("%s is where the plan says", m).contains(m.from());
      Placement held = held(snap, m.podKey());
      ClusterSnapshot without = snap.forget(m.podKey());
      var target = without.node(m.to()).orElseThrow();
      var plan1 = PodPlan.of(DefragPlanner.request(m.podKey(), held.containers()), "binpack", null);
      var o = NodeEvaluator.evaluate(plan1, target.node(), target.usage());
      assertThat(o)
          .as("move %s fits after the earlier ones", m)
          .isInstanceOf(NodeEvaluator.Placed.class);
      assertThat(((NodeEvaluator.Placed) o).containers()).isEqualTo(m.containers());
      snap = without.assume(new Placement(m.podKey(), "", m.to(), 0, m.containers()));
    }
    for (ClusterSnapshot.NodeState s : snap.nodes()) {
      for (DeviceUsage d : s.usage()) {
        assertThat(d.usedCores()).isLessThanOrEqualTo(d.totalCores());
        assertThat(d.usedMemMiB()).isLessThanOrEqualTo(d.totalMemMiB());
      }
    }
    var frag = new Fragmentation(t);
    assertThat(plan.fragBefore())
        .isCloseTo(DefragPlanner.fragmentation(snapshot, frag), within(1e-6));
    assertThat(plan.fragAfter()).isCloseTo(DefragPlanner.fragmentation(snap, frag), within(1e-6));
    assertThat(plan.freedGpus())
        .isEqualTo(DefragPlanner.wholeIdle(snap) - DefragPlanner.wholeIdle(snapshot));
    return snap;
  }

  private static Placement held(ClusterSnapshot snap, String key) {
    String node = snap.nodeOf(key).orElseThrow();
    CachedPod p =
        snap.node(node).orElseThrow().pods().stream()
            .filter(c -> c.key().equals(key))
            .findFirst()
            .orElseThrow();
    return new Placement(key, "", node, 0, p.devices().get("NVIDIA"));
  }

  private static TargetWorkload runningWorkload(ClusterSnapshot snapshot) {
    var shapes = new ArrayList<FgdPod>();
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      for (CachedPod p : s.pods()) {
        shapes.add(FgdView.pod(p, s.usage()));
      }
    }
    return TargetWorkload.fromPods(shapes);
  }

  /** 2..6 nodes of 1..4 GPUs; each GPU holds 0..3 sharing pods of 10..40 % or one whole pod. */
  private static ClusterSnapshot randomCluster(Random rnd) {
    var nodes = new ArrayList<Node>();
    var pods = new ArrayList<Placement>();
    int n = 2 + rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      String name = "n" + i;
      int gpus = 1 + rnd.nextInt(4);
      nodes.add(node(name, gpus));
      for (int g = 0; g < gpus; g++) {
        if (rnd.nextInt(6) == 0) {
          pods.add(running("w-" + i + "-" + g, name, g, 81_920, 100));
          continue;
        }
        int cores = 0;
        int count = rnd.nextInt(4);
        for (int p = 0; p < count; p++) {
          int c = 10 * (1 + rnd.nextInt(4));
          if (cores + c > 100) {
            break;
          }
          cores += c;
          pods.add(running("s-" + i + "-" + g + "-" + p, name, g, 4_096, c));
        }
      }
    }
    return ClusterSnapshot.of(nodes, pods);
  }
}
