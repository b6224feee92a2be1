package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.Policy;
import dev.tessera.policies.drl.PolicyCompiler;
import dev.tessera.policies.drl.PolicySource;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.ScoringRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worked example of docs/policy-authoring.md runs as written. */
class PreferA100ExampleIT {
  private static final String H100 = "NVIDIA-NVIDIA H100 80GB HBM3";
  private static final String RULE =
      "A100 nodes earn 100 points for pods asking more than 40 GiB per GPU";

  private static Policy policy;

  @BeforeAll
  static void compileOnce() {
    policy =
        PolicyCompiler.compile(
            "binpack + prefer-a100",
            List.of(
                PolicySource.classpath("dev/tessera/policies/binpack.drl"),
                PolicySource.classpath(
                    "dev/tessera/policies/examples/prefer-a100-for-big-memory.drl")));
  }

  /** An idle A100 node and a busier H100 node: binpack alone prefers the H100 node. */
  private static ClusterSnapshot cluster() {
    var a100 =
        Node.of(
            "a100-node", List.of(GpuDevice.of("a0", 0, RandomClusters.A100, 81_920, 100, 10, 0)));
    var h100 = Node.of("h100-node", List.of(GpuDevice.of("h0", 0, H100, 81_920, 100, 10, 0)));
    var running =
        new Placement(
            "default/busy",
            "u1",
            "h100-node",
            0,
            List.of(List.of(ContainerDevice.of("h0", H100, 10_240, 20))));
    return ClusterSnapshot.of(List.of(a100, h100), List.of(running));
  }

  private static PodRequest pod(int memoryMiB) {
    return new PodRequest(
        "default",
        "train",
        "u2",
        Map.of(),
        List.of("main"),
        0,
        List.of(new GpuRequest(1, GpuRequest.NVIDIA, memoryMiB, GpuRequest.PERCENT_UNSET, 0)));
  }

  private static Ranking rank(PodRequest pod) {
    var features = FeatureExtractor.forSnapshot(pod, cluster(), Engine.Options.DEFAULTS);
    return policy.scorer().score(ScoringRequest.of(pod), features);
  }

  @Test
  void aPodAsking48GiBGoesToTheA100Node() {
    Ranking r = rank(pod(48 * 1024));
    assertThat(r.best().orElseThrow().node()).isEqualTo("a100-node");
    assertThat(r.node("a100-node").orElseThrow().rules())
        .containsEntry(RULE, 100.0)
        .containsEntry("A busier node scores its HAMi node score", 0.0);
    assertThat(r.node("h100-node").orElseThrow().rules()).doesNotContainKey(RULE);
    assertThat(r.node("a100-node").orElseThrow().explain())
        .isEqualTo(
            """
            a100-node
              +100.0000  A100 nodes earn 100 points for pods asking more than 40 GiB per GPU
              +0.0000  A busier node scores its HAMi node score
              = +100.0000 total
            """);
  }

  @Test
  void aPodAsking8GiBIsLeftToBinpack() {
    Ranking r = rank(pod(8 * 1024));
    assertThat(r.best().orElseThrow().node()).isEqualTo("h100-node");
    assertThat(r.nodes()).allSatisfy(b -> assertThat(b.rules()).doesNotContainKey(RULE));
  }

  @Test
  void exactly40GiBIsNotMoreThan40GiB() {
    assertThat(rank(pod(40 * 1024)).best().orElseThrow().node()).isEqualTo("h100-node");
  }
}
