package dev.tessera.engine.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.quota.QuotaResources;
import dev.tessera.engine.quota.QuotaState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementBehaviourTest {
  private static final PodSelectors NO_SELECTORS = PodSelectors.parse(Map.of(), "");

  private static DeviceUsage gpu(String id, int index, int totalMem, int usedMem) {
    return new DeviceUsage(
        GpuDevice.of(id, index, "NVIDIA", totalMem, 100, 10, 0), 0, usedMem, 0, List.of());
  }

  private static FitResult fit(List<DeviceUsage> devs, GpuRequest req, PodSelectors sel) {
    return DeviceFit.fit(devs, req, sel, Set.of(), PairScores.NONE, QuotaGate.OPEN);
  }

  @Test
  void rejectsWhenShortByOneMiB() {
    FitResult r =
        fit(
            List.of(gpu("g0", 0, 8000, 4001)),
            new GpuRequest(1, "NVIDIA", 4000, 101, 0),
            NO_SELECTORS);
    assertThat(r.fits()).isFalse();
    assertThat(r.reason()).isEqualTo("1/1 CardInsufficientMemory");
  }

  @Test
  void fitsWhenMemoryIsExactlyFree() {
    FitResult r =
        fit(
            List.of(gpu("g0", 0, 8000, 4000)),
            new GpuRequest(1, "NVIDIA", 4000, 101, 0),
            NO_SELECTORS);
    assertThat(r.fits()).isTrue();
    assertThat(r.devices()).extracting(ContainerDevice::usedMemMiB).containsExactly(4000);
  }

  @Test
  void reasonPartsAreSortedAsPlainStrings() {
    int[] counts = new int[FitReason.values().length];
    counts[FitReason.CardNotHealth.ordinal()] = 10;
    counts[FitReason.CardInsufficientMemory.ordinal()] = 2;
    // "10/12 ..." sorts before "2/12 ..." as a string, as in HAMi
    assertThat(FitReason.format(counts, 12))
        .isEqualTo("10/12 CardNotHealth, 2/12 CardInsufficientMemory");
    assertThat(FitReason.parse(FitReason.format(counts, 12)))
        .containsEntry("CardNotHealth", 10)
        .containsEntry("CardInsufficientMemory", 2);
  }

  @Test
  void malformedReasonPartIsRejectedWithItsText() {
    assertThatThrownBy(() -> FitReason.parse("x CardNotHealth"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x CardNotHealth");
  }

  @Test
  void quotaGateRejectsTheCandidateThatWouldExceedTheLimit() {
    QuotaState q =
        new QuotaState(
            Map.of("NVIDIA", new QuotaResources("nvidia.com/gpumem", "nvidia.com/gpucores")), 1);
    q.setLimit("team", "nvidia.com/gpumem", 3000);
    PodRequest pod =
        new PodRequest(
            "team",
            "p",
            "uid",
            Map.of(),
            List.of("main"),
            0,
            List.of(new GpuRequest(2, "NVIDIA", 2000, 101, 0)));
    PodPlan plan = PodPlan.of(pod, "binpack", q);
    Node node = Node.of("n1", List.of());
    NodeEvaluator.Outcome o =
        NodeEvaluator.evaluate(plan, node, List.of(gpu("a", 0, 8000, 0), gpu("b", 1, 8000, 0)));
    assertThat(o).isInstanceOf(NodeEvaluator.Rejected.class);
    assertThat(((NodeEvaluator.Rejected) o).reason())
        .isEqualTo("1/2 AllocatedCardsInsufficientRequest, 1/2 ResourceQuotaNotFit");
  }

  @Test
  void appContainersSeeEachOthersUsageButInitContainersDoNot() {
    PodRequest pod =
        new PodRequest(
            "ns",
            "p",
            "uid",
            Map.of(Annotations.GPU_SCHEDULER_POLICY, "binpack"),
            List.of("init", "a", "b"),
            1,
            List.of(
                new GpuRequest(1, "NVIDIA", 6000, 101, 0),
                new GpuRequest(1, "NVIDIA", 6000, 101, 0),
                new GpuRequest(1, "NVIDIA", 6000, 101, 0)));
    PodPlan plan = PodPlan.of(pod, "", null);
    NodeEvaluator.Outcome o =
        NodeEvaluator.evaluate(
            plan, Node.of("n", List.of()), List.of(gpu("a", 0, 8000, 0), gpu("b", 1, 8000, 0)));
    assertThat(o).isInstanceOf(NodeEvaluator.Placed.class);
    List<List<ContainerDevice>> c = ((NodeEvaluator.Placed) o).containers();
    // the second app container cannot share the first one's GPU (6000 + 6000 > 8000)
    assertThat(c.get(1).get(0).uuid()).isNotEqualTo(c.get(2).get(0).uuid());
  }

  @Test
  void invalidWeightsRejectThePodBeforeAnyNodeIsTried() {
    PodRequest pod =
        new PodRequest(
            "ns",
            "p",
            "uid",
            Map.of(Annotations.DEVICE_SCORING_WEIGHTS, "slot=1"),
            List.of("a"),
            0,
            List.of(new GpuRequest(1, "NVIDIA", 100, 101, 0)));
    assertThatThrownBy(() -> PodPlan.of(pod, "", null))
        .isInstanceOf(InvalidScoringWeightsException.class)
        .hasMessageContaining(Annotations.DEVICE_SCORING_WEIGHTS);
  }

  @Test
  void typeSelectorIsCaseInsensitiveSubstring() {
    PodSelectors sel = PodSelectors.parse(Map.of(Annotations.USE_GPU_TYPE, "a100"), "");
    assertThat(sel.typeAllowed("NVIDIA A100-SXM4-40GB")).isTrue();
    assertThat(sel.typeAllowed("NVIDIA H100")).isFalse();
  }
}
