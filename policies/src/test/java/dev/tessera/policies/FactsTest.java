package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.fit.Scores;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.NodeFeatures;
import dev.tessera.policies.facts.ScoreContribution;
import dev.tessera.policies.facts.ScoringRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The facts rules read are computed once, in Java, from the engine's own fit and scores. */
class FactsTest {
  @Test
  void scoringRequestSumsTheContainersThatAskForGpus() {
    var pod =
        new PodRequest(
            "ns",
            "p",
            "u",
            Map.of("a", "b"),
            List.of("init", "none", "main", "pct"),
            1,
            List.of(
                new GpuRequest(1, GpuRequest.NVIDIA, 2_048, GpuRequest.PERCENT_UNSET, 10),
                GpuRequest.NONE,
                new GpuRequest(2, GpuRequest.NVIDIA, 4_096, GpuRequest.PERCENT_UNSET, 30),
                new GpuRequest(1, GpuRequest.NVIDIA, 0, 50, 0)));
    assertThat(ScoringRequest.of(pod))
        .isEqualTo(
            new ScoringRequest("ns/p", 3, 4, 2_048 + 2 * 4_096, 4_096, 50, 70, Map.of("a", "b")));
    assertThat(ScoringRequest.of(pod).annotation("missing")).isEmpty();
  }

  @Test
  void nodeFeaturesCarryTheEngineScoreTotalsAndChosenDevices() {
    var node =
        new Node(
            "n1",
            Map.of("zone", "a"),
            0,
            0,
            List.of(
                GpuDevice.of("g0", 0, RandomClusters.A100, 81_920, 100, 10, 0),
                GpuDevice.of("g1", 1, RandomClusters.A100, 81_920, 100, 10, 0)),
            null,
            null);
    var running =
        new Placement(
            "ns/r",
            "u",
            "n1",
            0,
            List.of(List.of(ContainerDevice.of("g0", RandomClusters.A100, 40_960, 50))));
    var snapshot = ClusterSnapshot.of(List.of(node), List.of(running));
    var pod =
        new PodRequest(
            "ns",
            "p",
            "u2",
            Map.of(Annotations.GPU_SCHEDULER_POLICY, "binpack"),
            List.of("c"),
            0,
            List.of(new GpuRequest(1, GpuRequest.NVIDIA, 1_024, GpuRequest.PERCENT_UNSET, 0)));
    NodeFeatures f = FeatureExtractor.forSnapshot(pod, snapshot, Engine.Options.DEFAULTS).get(0);
    assertThat(f.fits()).isTrue();
    assertThat(f.hamiScore())
        .isEqualTo((double) Scores.nodeScore(snapshot.node("n1").orElseThrow().usage()));
    assertThat(f.gpuCount()).isEqualTo(2);
    assertThat(f.totalMemMiB()).isEqualTo(163_840);
    assertThat(f.usedMemMiB()).isEqualTo(40_960);
    assertThat(f.freeMemMiB()).isEqualTo(122_880);
    assertThat(f.memUtilisation()).isEqualTo(0.25);
    assertThat(f.coreUtilisation()).isEqualTo(0.25);
    assertThat(f.slotUtilisation()).isEqualTo(1.0 / 20);
    assertThat(f.hasModel("a100")).isTrue();
    assertThat(f.hasModel("H100")).isFalse();
    assertThat(f.label("zone")).isEqualTo("a");
    // GPU binpack picks the busy GPU; its device score is HAMi's for the usage before the pod
    assertThat(f.chosen())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.uuid()).isEqualTo("g0");
              assertThat(d.memMiB()).isEqualTo(1_024);
              assertThat(d.score()).isGreaterThan(0);
            });
    assertThat(f.chosenAllModel("A100")).isTrue();
  }

  @Test
  void aNodeThatDoesNotFitCarriesHamisReason() {
    var node = Node.of("n1", List.of(GpuDevice.of("g0", 0, RandomClusters.T4, 15_360, 100, 10, 0)));
    var pod =
        new PodRequest(
            "ns",
            "p",
            "u",
            Map.of(),
            List.of("c"),
            0,
            List.of(new GpuRequest(1, GpuRequest.NVIDIA, 20_000, GpuRequest.PERCENT_UNSET, 0)));
    NodeFeatures f =
        FeatureExtractor.forSnapshot(
                pod, ClusterSnapshot.of(List.of(node), List.of()), Engine.Options.DEFAULTS)
            .get(0);
    assertThat(f.fits()).isFalse();
    assertThat(f.reason()).isNotEmpty();
    assertThat(f.chosen()).isEmpty();
  }

  @Test
  void scoreContributionRejectsNonFinitePoints() {
    assertThatThrownBy(() -> new ScoreContribution("n", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node n");
  }
}
