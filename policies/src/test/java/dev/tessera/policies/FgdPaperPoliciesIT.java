package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.features.BaselineScores;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.FgdScore;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.facts.DevicePick;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.FgdFeatures;
import dev.tessera.policies.facts.FgdFit;
import dev.tessera.policies.facts.FgdNodeState;
import dev.tessera.policies.facts.HostFree;
import dev.tessera.policies.facts.ScoringRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The six FGD-paper DRL policies rank candidates by the paper's scores (computed by {@code
 * engine.features}), veto nodes the engine's fit rejects, and pick the paper's GPU selector.
 */
class FgdPaperPoliciesIT {
  private static final PolicyRegistry REGISTRY = new PolicyRegistry();

  private static final Fragmentation FRAG =
      new Fragmentation(
          TargetWorkload.fromPods(
              List.of(
                  FgdPod.of(4000, 1, 500),
                  FgdPod.of(8000, 1, 1000),
                  FgdPod.of(8000, 1, 1000),
                  FgdPod.of(2000, 0, 0))));

  /** Node {@code name} with GPUs whose booked core share is {@code usedCores}. */
  private static Candidate node(String name, long cpuLeft, int... usedCores) {
    var devices = new ArrayList<GpuDevice>();
    var usage = new ArrayList<DeviceUsage>();
    var pods = new ArrayList<CachedPod>();
    for (int j = 0; j < usedCores.length; j++) {
      GpuDevice d = GpuDevice.of(name + "-gpu" + j, j, "NVIDIA-V100M16", 16_384, 100, 100, 0);
      devices.add(d);
      int used = usedCores[j];
      usage.add(used == 0 ? DeviceUsage.idle(d) : DeviceUsage.idle(d).plus(1, 0, used));
      if (used > 0) {
        pods.add(
            CachedPod.of(
                "ns/p-" + name + j,
                Map.of(
                    GpuRequest.NVIDIA,
                    List.of(List.of(ContainerDevice.of(d.uuid(), "NVIDIA", 0, used))))));
      }
    }
    Node node = new Node(name, Map.of(), 64_000, 256_000, devices, null, null);
    var state = FgdNodeState.of(name, usage, pods, new HostFree(cpuLeft, 100_000, 1), FRAG);
    return new Candidate(node, usage, state);
  }

  private record Candidate(Node node, List<DeviceUsage> usage, FgdNodeState state) {}

  private static PodRequest sharingPod(int percent) {
    return new PodRequest(
        "ns",
        "p",
        "uid",
        Map.of(),
        List.of("c"),
        0,
        List.of(new GpuRequest(1, GpuRequest.NVIDIA, 0, percent, percent)));
  }

  private static Ranking rank(String policy, PodRequest pod, FgdPod shape, Candidate... nodes) {
    PodPlan plan = PodPlan.of(pod, "", null);
    var facts = new ArrayList<FgdFeatures>();
    for (int i = 0; i < nodes.length; i++) {
      Candidate c = nodes[i];
      FgdFit fit = FeatureExtractor.fgd(plan, shape, c.state(), c.node(), c.usage());
      facts.add(new FgdFeatures(fit, i == 1));
    }
    return REGISTRY.builtIn(policy).scorer().score(ScoringRequest.of(pod), facts);
  }

  @Test
  void eachPaperPolicyScoresWithTheEnginesFeaturesAndPicksItsSelector() {
    FgdPod shape = new FgdPod(4000, 0, 1, 500, "");
    PodRequest pod = sharingPod(50);
    Candidate empty = node("empty", 64_000, 0, 0);
    Candidate half = node("half", 32_000, 40, 0);
    Candidate full = node("full", 64_000, 100, 100);
    Map<String, String> selector =
        Map.of(
            PolicyRegistry.RANDOM, DevicePick.RANDOM,
            PolicyRegistry.DOTPROD, DevicePick.BEST,
            PolicyRegistry.GPU_CLUSTERING, DevicePick.BEST,
            PolicyRegistry.GPU_PACKING, DevicePick.BEST,
            PolicyRegistry.BESTFIT, DevicePick.BEST,
            PolicyRegistry.FGD, DevicePick.FGD);
    for (String policy : PolicyRegistry.FGD_PAPER) {
      Ranking r = rank(policy, pod, shape, empty, half, full);
      // the engine's fit rejects the node with both GPUs fully booked
      assertThat(r.node("full").orElseThrow().eligible()).as(policy).isFalse();
      assertThat(r.devicePick("half")).as(policy).contains(selector.get(policy));
      int[] expected = {
        score(policy, empty.state(), shape), score(policy, half.state(), shape),
      };
      String winner = expected[1] > expected[0] ? "half" : "empty";
      assertThat(r.best().orElseThrow().node()).as(policy).isEqualTo(winner);
      assertThat(r.node("half").orElseThrow().total()).as(policy).isEqualTo(expected[1]);
    }
  }

  private static int score(String policy, FgdNodeState s, FgdPod pod) {
    long c = s.cpuLeft();
    long l = s.idleTotal();
    return switch (policy) {
      case PolicyRegistry.RANDOM -> s.node().equals("half") ? 100 : 0;
      case PolicyRegistry.DOTPROD -> BaselineScores.dotProduct(c, l, pod);
      case PolicyRegistry.GPU_CLUSTERING ->
          BaselineScores.gpuClustering(l, s.tags().contains("share"), s.tags().size(), pod);
      case PolicyRegistry.GPU_PACKING -> BaselineScores.gpuPacking(s.idle(), pod);
      case PolicyRegistry.BESTFIT -> BaselineScores.bestFitRaw(c, l, pod);
      default -> FgdScore.score(FRAG, c, s.idle(), s.model(), s.frag(), pod);
    };
  }

  @Test
  void fgdSelectorTakesTheLeastFragmentingGpuAndRandomDrawsAFittingOne() {
    FgdPod shape = new FgdPod(4000, 0, 1, 500, "");
    Candidate half = node("half", 32_000, 40, 0);
    FgdFit fit =
        FeatureExtractor.fgd(
            PodPlan.of(sharingPod(50), "", null), shape, half.state(), half.node(), half.usage());
    assertThat(fit.gpus(DevicePick.FGD, new Random(1)))
        .containsExactly(
            FgdScore.selectGpus(
                FRAG, 32_000, new int[] {600, 1000}, "V100M16", half.state().frag(), shape));
    assertThat(fit.gpus(DevicePick.BEST, new Random(1))).containsExactly(0);
    for (int seed = 0; seed < 20; seed++) {
      assertThat(fit.gpus(DevicePick.RANDOM, new Random(seed))).hasSize(1);
    }
    assertThat(half.state().model()).isEqualTo("V100M16");
    assertThat(half.state().tags()).containsExactly("share");
  }
}
