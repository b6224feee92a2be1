package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.decision.NodeExplanation;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.engine.decision.RuleVeto;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.CombinedPolicy;
import dev.tessera.policies.drl.Policy;
import dev.tessera.policies.drl.PolicyCompiler;
import dev.tessera.policies.drl.PolicyDecider;
import dev.tessera.policies.drl.PolicySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The second worked example of docs/policy-authoring.md: never mix tenants on one GPU. */
class NeverMixTenantsExampleIT {
  private static final String RULE = "Never share a GPU with another tenant's pod";
  private static final String T4 = "NVIDIA-Tesla T4";

  private static PolicyDecider decider;

  @BeforeAll
  static void compileOnce() {
    Policy policy =
        PolicyCompiler.compile(
            "binpack + never-mix-tenants",
            List.of(
                PolicySource.classpath("dev/tessera/policies/binpack.drl"),
                PolicySource.classpath("dev/tessera/policies/examples/never-mix-tenants.drl")));
    decider = new PolicyDecider(CombinedPolicy.single(policy, ""), Engine.Options.DEFAULTS);
  }

  /**
   * {@code shared-node}'s one GPU already runs a {@code team-b} pod, so binpack alone prefers it;
   * {@code idle-node} is empty.
   */
  private static ClusterSnapshot cluster() {
    var shared = Node.of("shared-node", List.of(GpuDevice.of("s0", 0, T4, 15_360, 100, 10, 0)));
    var idle = Node.of("idle-node", List.of(GpuDevice.of("i0", 0, T4, 15_360, 100, 10, 0)));
    var running =
        new Placement(
            "team-b/notebook",
            "u1",
            "shared-node",
            0,
            List.of(List.of(ContainerDevice.of("s0", T4, 4_000, 20))));
    return ClusterSnapshot.of(List.of(shared, idle), List.of(running));
  }

  private static PodRequest pod(String tenant) {
    return new PodRequest(
        tenant,
        "infer",
        "u2",
        Map.of(),
        List.of("main"),
        0,
        List.of(new GpuRequest(1, GpuRequest.NVIDIA, 2_000, GpuRequest.PERCENT_UNSET, 10)));
  }

  @Test
  void anotherTenantsPodIsKeptOffTheSharedGpu() {
    PolicyDecision d = decider.decide(pod("team-a"), cluster());
    assertThat(d.chosen()).contains("idle-node");
    NodeExplanation shared = d.node("shared-node").orElseThrow();
    assertThat(shared.verdict()).isEqualTo(NodeExplanation.Verdict.VETOED);
    assertThat(shared.vetoes())
        .containsExactly(
            new RuleVeto(
                "binpack + never-mix-tenants",
                RULE,
                "the chosen GPUs already hold pods of [team-b]; this pod's tenant is team-a"));
  }

  @Test
  void theSameTenantMayShareAndBinpackDecides() {
    PolicyDecision d = decider.decide(pod("team-b"), cluster());
    assertThat(d.chosen()).contains("shared-node");
    assertThat(d.node("shared-node").orElseThrow().vetoes()).isEmpty();
  }
}
