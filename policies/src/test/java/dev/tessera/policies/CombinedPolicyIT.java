package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.decision.NodeExplanation;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.engine.decision.RulePoints;
import dev.tessera.policies.drl.CombinedPolicy;
import dev.tessera.policies.drl.PolicyDecider;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.drl.PolicySpec;
import dev.tessera.policies.drl.PolicySpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weighted combinations: the CLI and YAML specs, their errors, and what a combined total is. */
class CombinedPolicyIT {
  private static PolicyRegistry registry;

  @BeforeAll
  static void compileOnce() {
    registry = new PolicyRegistry();
  }

  @Test
  void cliSpecListsEachPolicyWithItsWeight() {
    PolicySpec spec = PolicySpec.parse("fgd=1000, topology=10,binpack");
    assertThat(spec.entries())
        .containsExactly(
            new PolicySpec.Entry("fgd", 1000),
            new PolicySpec.Entry("topology", 10),
            new PolicySpec.Entry("binpack", 1));
  }

  @Test
  void cliSpecErrorsNameTheEntry() {
    assertThatThrownBy(() -> PolicySpec.parse("binpack=lots"))
        .isInstanceOf(PolicySpecException.class)
        .hasMessageContaining("weight of \"binpack\" must be a finite number, got \"lots\"");
    assertThatThrownBy(() -> PolicySpec.parse("binpack=1,=3"))
        .isInstanceOf(PolicySpecException.class)
        .hasMessageContaining("entry \"=3\" names no policy");
  }

  @Test
  void yamlSpecResolvesDrlPathsAgainstItsOwnDirectory(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("mix.yaml");
    Files.writeString(
        spec,
        """
        name: binpack-with-topology
        policies:
          - policy: binpack
            weight: 1000
          - policy: mine.drl
            weight: 0.5
        """);
    PolicySpec s = PolicySpec.load(spec, java.util.Set.of("binpack"));
    assertThat(s.name()).isEqualTo("binpack-with-topology");
    assertThat(s.entries())
        .containsExactly(
            new PolicySpec.Entry("binpack", 1000),
            new PolicySpec.Entry(dir.resolve("mine.drl").toAbsolutePath().toString(), 0.5));
  }

  @Test
  void yamlSpecErrorsNameFileLineAndField(@TempDir Path dir) throws Exception {
    Path unknown = dir.resolve("bad.yaml");
    Files.writeString(
        unknown,
        """
        policies:
          - policy: binpack
            wieght: 3
        """);
    assertThatThrownBy(() -> PolicySpec.load(unknown, java.util.Set.of()))
        .isInstanceOf(PolicySpecException.class)
        .hasMessageStartingWith(unknown + ":")
        .hasMessageContaining("policies[0].wieght: expected")
        .hasMessageContaining("Unrecognized field \"wieght\"");
    Path noWeight = dir.resolve("noweight.yaml");
    Files.writeString(noWeight, "policies:\n  - policy: binpack\n");
    assertThatThrownBy(() -> PolicySpec.load(noWeight, java.util.Set.of()))
        .isInstanceOf(PolicySpecException.class)
        .hasMessageContaining("policies[0].weight: expected a finite number");
  }

  @Test
  void policiesThatChooseDevicesDifferentlyCannotBeCombined() {
    assertThatThrownBy(() -> registry.combine(PolicySpec.parse("gpu-binpack=1,topology=1")))
        .isInstanceOf(PolicySpecException.class)
        .hasMessageContaining("\"gpu-binpack\" chooses devices with GPU policy binpack")
        .hasMessageContaining("\"topology\" with topology-aware");
  }

  /**
   * Over seeded random clusters, a combination's total is Σ weight × each policy's own total, every
   * rule keeps its own points and its policy's weight, and the winner is the best total.
   */
  @Test
  void combinedTotalIsTheWeightedSumOfThePartsTotals() {
    CombinedPolicy combined = registry.combine(PolicySpec.parse("binpack=1000,topology=10"));
    assertThat(combined.gpuPolicy()).isEqualTo("topology-aware");
    var options = Engine.Options.DEFAULTS;
    var both = new PolicyDecider(combined, options);
    // binpack alone, but with the devices topology chooses, so both see the same placements
    var binpack =
        new PolicyDecider(
            CombinedPolicy.single(registry.builtIn("binpack"), "topology-aware"), options);
    var topology =
        new PolicyDecider(
            CombinedPolicy.single(registry.builtIn("topology"), "topology-aware"), options);
    var gen = new RandomGpuClusters(7L);
    int decidedByTopology = 0;
    for (int i = 0; i < 400; i++) {
      var snapshot = gen.snapshot();
      var pod = gen.pod(i);
      PolicyDecision got = both.decide(pod, snapshot);
      PolicyDecision b = binpack.decide(pod, snapshot);
      PolicyDecision t = topology.decide(pod, snapshot);
      NodeExplanation best = null;
      for (NodeExplanation e : got.nodes()) {
        var eb = b.node(e.node()).orElseThrow();
        var et = t.node(e.node()).orElseThrow();
        assertThat(e.total()).isEqualTo(1000 * eb.total() + 10 * et.total());
        assertThat(e.rules())
            .containsExactlyElementsOf(
                concat(reweigh(eb.rules(), "binpack", 1000), reweigh(et.rules(), "topology", 10)));
        if (e.eligible() && (best == null || e.total() > best.total())) {
          best = e;
        }
      }
      assertThat(got.chosen()).isEqualTo(java.util.Optional.ofNullable(best).map(e -> e.node()));
      if (best != null && !got.chosen().equals(b.chosen())) {
        decidedByTopology++;
      }
    }
    assertThat(decidedByTopology).isGreaterThan(0);
  }

  private static List<RulePoints> reweigh(List<RulePoints> rules, String policy, double weight) {
    return rules.stream().map(r -> new RulePoints(policy, r.rule(), r.points(), weight)).toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    var out = new java.util.ArrayList<T>(a);
    out.addAll(b);
    return out;
  }
}
