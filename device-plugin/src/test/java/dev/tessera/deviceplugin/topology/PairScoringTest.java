package dev.tessera.deviceplugin.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairScoringTest {
  @Test
  void annotationValueListsEachGpuWithItsPeers() {
    var a = new GpuLinks("GPU-a", 0, Map.of(1, List.of(LinkType.SAME_CPU, LinkType.NVLINK_2)));
    var b = new GpuLinks("GPU-b", 1, Map.of(0, List.of(LinkType.SAME_CPU, LinkType.NVLINK_2)));
    assertThat(PairScoring.annotationValue(List.of(a, b)))
        .isEqualTo(
            "[{\"uuid\":\"GPU-a\",\"score\":{\"GPU-b\":220}},{\"uuid\":\"GPU-b\",\"score\":{\"GPU-a\":220}}]");
    assertThat(PairScoring.asymmetricPairs(List.of(a, b))).isEmpty();
  }

  @Test
  void asymmetricPairIsReportedOnce() {
    var a = new GpuLinks("GPU-a", 0, Map.of(1, List.of(LinkType.SAME_CPU, LinkType.NVLINK_2)));
    var b = new GpuLinks("GPU-b", 1, Map.of(0, List.of(LinkType.SAME_CPU)));
    assertThat(PairScoring.asymmetricPairs(List.of(a, b)))
        .containsExactly(List.of("GPU-a", "GPU-b"));
    assertThat(PairScoring.scores(List.of(a, b)).score("GPU-b", "GPU-a")).isZero();
  }

  @Test
  void busIdNormalisation() {
    assertThat(NvLinks.normalizeBusId("00000000:0A:00.0")).isEqualTo("0000:0a:00.0");
    assertThat(NvLinks.normalizeBusId("0000")).isEqualTo("0000");
  }
}
