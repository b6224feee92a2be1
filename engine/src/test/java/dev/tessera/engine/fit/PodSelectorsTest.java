package dev.tessera.engine.fit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.codec.Annotations;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Selectors parsed from the same steering annotations are equal (the extender caches node
 * evaluations by them); any steering difference makes them unequal.
 */
class PodSelectorsTest {
  private static final Map<String, String> STEERED =
      Map.of(
          Annotations.USE_GPU_TYPE, "A100,H100",
          Annotations.NOUSE_GPU_UUID, "GPU-1",
          Annotations.NUMA_BIND, "true",
          Annotations.GPU_SCHEDULER_POLICY, "binpack");

  @Test
  void sameAnnotationsGiveEqualSelectorsWhateverElseThePodCarries() {
    var withOther = new HashMap<>(STEERED);
    withOther.put("kubectl.kubernetes.io/last-applied-configuration", "{}");

    PodSelectors a = PodSelectors.parse(STEERED, "spread");
    PodSelectors b = PodSelectors.parse(withOther, "spread");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(PodSelectors.parse(null, "spread"))
        .isEqualTo(PodSelectors.parse(Map.of(), "spread"));
  }

  @Test
  void anySteeringDifferenceMakesThemDiffer() {
    PodSelectors base = PodSelectors.parse(STEERED, "spread");
    for (var e : STEERED.entrySet()) {
      var changed = new HashMap<>(STEERED);
      changed.put(e.getKey(), e.getValue() + "x");
      assertThat(PodSelectors.parse(changed, "spread")).as(e.getKey()).isNotEqualTo(base);
    }
    assertThat(PodSelectors.parse(Map.of(), "spread"))
        .isNotEqualTo(PodSelectors.parse(Map.of(), "binpack"));
    assertThat(base.withWeights(new ScoringWeights(2, 1, 1))).isNotEqualTo(base);
  }
}
