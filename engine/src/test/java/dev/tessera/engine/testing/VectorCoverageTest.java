package dev.tessera.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorCoverageTest {
  static final List<String> FILES =
      List.of(
          "annotation-parsing.json",
          "calc-score.json",
          "device-fit.json",
          "device-plugin.json",
          "gpu-sort-and-score.json",
          "mig.json",
          "node-annotation-codec.json",
          "node-health.json",
          "node-score.json",
          "pod-annotation-codec.json",
          "quota.json",
          "requests-and-admission.json",
          "topology.json",
          "usage-accounting.json");

  @Test
  void everyVectorFileIsLoadedAndIdsAreUniquePerSuite() {
    int total = 0;
    for (var f : FILES) {
      var cases = HamiVectors.load(f);
      var ids = new HashSet<String>();
      for (var c : cases) {
        assertThat(ids.add(c.id())).as("duplicate id %s in %s", c.id(), f).isTrue();
        assertThat(VectorKinds.owner(f, c.kind()))
            .as("kind %s of %s/%s has no conformance owner", c.kind(), f, c.id())
            .isPresent();
      }
      total += cases.size();
    }
    assertThat(total).as("cases across the 14 suites (vectors README)").isEqualTo(454);
  }
}
