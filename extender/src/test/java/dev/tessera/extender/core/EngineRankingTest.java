package dev.tessera.extender.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineRanking}'s equivalence cache must never change an answer: a ranking that has seen
 * many pods gives, for every pod, exactly what a fresh ranking (empty cache) gives, while pods of a
 * few shapes are placed on and removed from the nodes between the calls.
 */
class EngineRankingTest {
  private static final Engine.Options OPTIONS = Engine.Options.DEFAULTS;

  @Test
  void cachedEvaluationsEqualFreshOnesWhilePodsComeAndGo() {
    var random = new Random(20261123);
    ClusterSnapshot snapshot = ClusterSnapshot.of(nodes(random, 40), List.of());
    var ranking = new EngineRanking(OPTIONS);
    var engine = new Engine(OPTIONS);
    var placed = new ArrayList<String>();
    for (int step = 0; step < 600; step++) {
      PodRequest pod = pod("p" + step, random);
      List<Candidate> candidates = candidates(snapshot, random);
      List<NodeResult> cached = ranking.evaluate(pod, candidates);
      List<NodeResult> fresh = new EngineRanking(OPTIONS).evaluate(pod, candidates);
      assertThat(cached).as("step %d, pod %s", step, pod.requests()).isEqualTo(fresh);

      // place the pod where the engine says (as bind does), and sometimes let an earlier pod go
      if (engine.decide(pod, snapshot) instanceof Decision.Placed p) {
        snapshot =
            snapshot.assume(new Placement(pod.key(), pod.uid(), p.node(), 0, p.containers()));
        placed.add(pod.key());
      }
      if (!placed.isEmpty() && random.nextInt(3) == 0) {
        snapshot = snapshot.forget(placed.remove(random.nextInt(placed.size())));
      }
    }
  }

  @Test
  void onlyTheNodeAPodLandedOnIsEvaluatedAgain() {
    ClusterSnapshot snapshot = ClusterSnapshot.of(nodes(new Random(7), 10), List.of());
    var ranking = new EngineRanking(OPTIONS);
    PodRequest first =
        request("first", Map.of(), new GpuRequest(1, GpuRequest.NVIDIA, 4_000, 0, 20));
    PodRequest second =
        request("second", Map.of(), new GpuRequest(1, GpuRequest.NVIDIA, 4_000, 0, 20));
    ranking.evaluate(first, candidates(snapshot, null)); // a shape's first sight stores nothing
    List<NodeResult> before = ranking.evaluate(first, candidates(snapshot, null));
    var p = (Decision.Placed) new Engine(OPTIONS).decide(first, snapshot);
    snapshot =
        snapshot.assume(new Placement(first.key(), first.uid(), p.node(), 0, p.containers()));

    List<NodeResult> after = ranking.evaluate(second, candidates(snapshot, null));

    for (int i = 0; i < after.size(); i++) {
      if (after.get(i).node().equals(p.node())) {
        // recomputed on the new usage: binpack now prefers it more
        assertThat(after.get(i)).isNotSameAs(before.get(i));
        assertThat(after.get(i).preference()).isGreaterThan(before.get(i).preference());
      } else {
        assertThat(after.get(i)).isSameAs(before.get(i));
      }
    }
  }

  @Test
  void nodesInTheSameStateGiveTheSameAsciiReason() {
    var gpus = new ArrayList<Node>();
    for (String name : List.of("a", "b")) {
      gpus.add(
          Node.of(
              name,
              List.of(
                  GpuDevice.of("GPU-" + name + "0", 0, "NVIDIA A100", 16_000, 100, 4, 0),
                  GpuDevice.of("GPU-" + name + "1", 1, "NVIDIA A100", 16_000, 100, 4, 0))));
    }
    ClusterSnapshot snapshot = ClusterSnapshot.of(gpus, List.of());
    PodRequest big = request("big", Map.of(), new GpuRequest(1, GpuRequest.NVIDIA, 20_000, 0, 30));

    List<NodeResult> results = new EngineRanking(OPTIONS).evaluate(big, candidates(snapshot, null));

    assertThat(results)
        .extracting(NodeResult::outcome)
        .containsOnly(NodeResult.Outcome.UNRESOLVABLE);
    assertThat(results.get(0).reason())
        .isEqualTo(results.get(1).reason())
        .isEqualTo(
            "2/2 CardInsufficientMemory; pod asks 1 GPU x 20000 MiB, 30% cores;"
                + " node free (MiB/cores%/slots): #0 16000/100/4, #1 16000/100/4")
        .matches("\\p{ASCII}*");
  }

  private static List<Node> nodes(Random random, int count) {
    var out = new ArrayList<Node>();
    for (int n = 0; n < count; n++) {
      int gpus = 1 + random.nextInt(4);
      var devices = new ArrayList<GpuDevice>();
      for (int g = 0; g < gpus; g++) {
        String type = random.nextBoolean() ? "NVIDIA A100" : "NVIDIA T4";
        devices.add(
            GpuDevice.of(
                "GPU-" + n + "-" + g, g, type, 16_000 + 8_000 * random.nextInt(3), 100, 4, g % 2));
      }
      out.add(Node.of("node-" + n, devices));
    }
    return out;
  }

  /** Every snapshot node in order, or a random subset in random order when {@code random} given. */
  private static List<Candidate> candidates(ClusterSnapshot snapshot, Random random) {
    var out = new ArrayList<Candidate>();
    for (ClusterSnapshot.NodeState s : snapshot.nodes()) {
      out.add(Candidate.usable(s.node(), s.pods(), s.usage(), null));
    }
    if (random != null) {
      java.util.Collections.shuffle(out, random);
    }
    return out;
  }

  /** A pod of one of a few shapes, some steered by annotations, so shapes repeat and differ. */
  private static PodRequest pod(String name, Random random) {
    var annotations = new HashMap<String, String>();
    switch (random.nextInt(5)) {
      case 0 -> annotations.put(Annotations.NODE_SCHEDULER_POLICY, "spread");
      case 1 -> annotations.put(Annotations.GPU_SCHEDULER_POLICY, "binpack");
      case 2 -> annotations.put(Annotations.USE_GPU_TYPE, "T4");
      case 3 -> annotations.put(Annotations.NUMA_BIND, "true");
      default -> {}
    }
    int count = 1 + random.nextInt(2);
    int mem = 4_000 * (1 + random.nextInt(4));
    int cores = 10 * (1 + random.nextInt(5));
    return request(name, annotations, new GpuRequest(count, GpuRequest.NVIDIA, mem, 0, cores));
  }

  private static PodRequest request(String name, Map<String, String> annotations, GpuRequest r) {
    return new PodRequest(
        "default", name, "uid-" + name, annotations, List.of("main"), 0, List.of(r));
  }
}
