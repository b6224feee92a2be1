package dev.tessera.sim.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.features.FgdMath;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.GpuTypes;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.fit.PodSelectors;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.FgdNodeState;
import dev.tessera.policies.facts.HostFree;
import dev.tessera.sim.trace.OpenbConverter;
import dev.tessera.sim.trace.TraceNode;
import dev.tessera.sim.trace.TracePod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * With the openb mapping (cores = memory percent = m/10, GPUs of 100 cores) HAMi's fit is exactly
 * the FGD paper's GPU feasibility (policies.md §3.1), and HAMi's type selector agrees with the
 * paper's {@code gpu_spec} rule (§3.2) for every openb model.
 */
class EngineMappingTest {
  private static final List<String> MODELS = List.copyOf(OpenbConverter.GPU_MEMORY_MIB.keySet());
  private static final int[] MILLI = {10, 50, 100, 250, 300, 470, 500, 810, 990, 1000};
  private static final Fragmentation FRAG =
      new Fragmentation(TargetWorkload.fromPods(List.of(FgdPod.of(1000, 1, 500))));

  @Test
  void hamiFitIsTheFgdGpuFeasibilityForRandomNodeStates() {
    Random rnd = new Random(7);
    int agreed = 0;
    for (int c = 0; c < 4000; c++) {
      String model = MODELS.get(rnd.nextInt(MODELS.size()));
      int gpus = new int[] {1, 2, 4, 8}[rnd.nextInt(4)];
      TraceNode tn =
          new TraceNode(
              "n" + c,
              96_000,
              512_000,
              model,
              gpus,
              OpenbConverter.GPU_MEMORY_MIB.get(model),
              Map.of());
      Node node = EngineMapping.node(tn);
      // book random sharing percentages on each GPU through the engine's own usage records
      var usage = new ArrayList<DeviceUsage>();
      int[] idle = new int[gpus];
      for (int j = 0; j < gpus; j++) {
        DeviceUsage u = DeviceUsage.idle(node.devices().get(j));
        int booked = 0;
        int pods = rnd.nextInt(4);
        for (int p = 0; p < pods; p++) {
          int pct = MILLI[rnd.nextInt(MILLI.length)] / 10;
          if (booked + pct <= 100) {
            u = u.plus(1, u.totalMemMiB() * pct / 100, pct);
            booked += pct;
          }
        }
        usage.add(u);
        idle[j] = 1000 - 10 * booked;
      }
      int m = MILLI[rnd.nextInt(MILLI.length)];
      int k = m == 1000 ? new int[] {1, 2, 4, 8}[rnd.nextInt(4)] : 1;
      String spec = rnd.nextInt(4) == 0 ? MODELS.get(rnd.nextInt(MODELS.size())) : "";
      TracePod pod = new TracePod("p", 1000, 1000, k, 0, m / 10, m / 10, spec, 0, -1);
      FgdPod shape = EngineMapping.shape(pod);
      PodRequest request = EngineMapping.pod(pod, Map.of());
      var state =
          FgdNodeState.of(node.name(), usage, List.of(), new HostFree(96_000, 512_000, 0), FRAG);
      boolean hami =
          FeatureExtractor.fgd(PodPlan.of(request, "spread", null), shape, state, node, usage)
              .fits();
      boolean fgd = GpuTypes.admits(shape.gpuSpec(), model) && FgdMath.gpusFit(idle, k, m);
      assertThat(hami)
          .as(
              "node %s idle %s pod k=%d m=%d spec=%s",
              model, java.util.Arrays.toString(idle), k, m, spec)
          .isEqualTo(fgd);
      assertThat(state.idle()).containsExactly(idle);
      agreed++;
    }
    assertThat(agreed).isEqualTo(4000);
  }

  @Test
  void hamiTypeSelectorAgreesWithGpuSpecForEveryOpenbModelPair() {
    for (String nodeModel : MODELS) {
      for (String a : MODELS) {
        for (String b : MODELS) {
          String spec = a.equals(b) ? a : a + "|" + b;
          var sel =
              PodSelectors.parse(
                  Map.of("nvidia.com/use-gputype", spec.replace('|', ',')), "spread");
          assertThat(sel.typeAllowed(EngineMapping.gpuType(nodeModel)))
              .as("spec %s on %s", spec, nodeModel)
              .isEqualTo(GpuTypes.admits(spec, nodeModel));
        }
      }
    }
  }

  @Test
  void aMibRequestIsMeasuredOnEachGpuAndAPercentRequestIsTheSameEverywhere() {
    TracePod mib = new TracePod("m", 1000, 1000, 1, 8_192, 0, 30, "", 0, -1);
    assertThat(mib.gpuMilli()).as("nominal: the cores").isEqualTo(300);
    assertThat(EngineMapping.shapeOn(mib, 16_384).gpuMilli()).isEqualTo(500);
    assertThat(EngineMapping.shapeOn(mib, 40_960).gpuMilli()).isEqualTo(300);
    TracePod pct = new TracePod("p", 1000, 1000, 1, 0, 60, 30, "", 0, -1);
    assertThat(pct.gpuMilli()).as("the larger of memory and cores").isEqualTo(600);
    for (int mem : new int[] {15_360, 16_384, 24_576, 32_768}) {
      assertThat(EngineMapping.shapeOn(pct, mem)).isEqualTo(EngineMapping.shape(pct));
    }
    assertThat(EngineMapping.request(pct).cores()).as("books the cores it asked").isEqualTo(30);
  }
}
