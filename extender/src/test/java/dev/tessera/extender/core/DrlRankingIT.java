package dev.tessera.extender.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PairScores;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.Manifests;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.policies.drl.PolicyCompiler;
import dev.tessera.policies.drl.PolicyHolder;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.drl.PolicySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DRL path answers filter and prioritize like HAMi's plain-Java node policy, plus vetoes. */
class DrlRankingIT {
  private static final String VETO =
      """
      package test.veto;
      import dev.tessera.policies.facts.NodeFeatures;
      import dev.tessera.policies.facts.Veto;
      rule "Nodes in maintenance are never chosen"
      when
          $n : NodeFeatures( labels["maintenance"] == "true" )
      then
          insert(new Veto($n.node(), "node is in maintenance"));
      end
      """;

  private static InMemoryCluster cluster() {
    var nodes =
        List.of(
            node("idle", Map.of()),
            node("busy", Map.of()),
            node("fixing", Map.of("maintenance", "true")));
    var running =
        List.of(
            new dev.tessera.engine.model.Placement(
                "default/old",
                "",
                "busy",
                0,
                List.of(
                    List.of(
                        dev.tessera.engine.model.ContainerDevice.of(
                            "GPU-busy-0", "NVIDIA", 20_000, 50)))));
    return InMemoryCluster.of(nodes, running, List.of());
  }

  private static Node node(String name, Map<String, String> labels) {
    return new Node(
        name,
        labels,
        0,
        0,
        List.of(GpuDevice.of("GPU-" + name + "-0", 0, "NVIDIA A100", 40_000, 100, 10, 0)),
        PairScores.NONE,
        Set.of());
  }

  private static final ExtenderArgs ARGS =
      new ExtenderArgs(
          Manifests.pod("default", "p", 8_000, 30), null, List.of("idle", "busy", "fixing"));

  @Test
  void builtInBinpackAgreesWithHamisNodePolicy() {
    var cluster = cluster();
    var drl =
        Fixtures.extender(
            cluster,
            new DrlRanking(
                new PolicyRegistry().fromArguments(List.of(PolicyRegistry.BINPACK)),
                Engine.Options.DEFAULTS));
    var hami = Fixtures.extender(cluster);

    assertThat(drl.filter(ARGS)).isEqualTo(hami.filter(ARGS));
    assertThat(drl.prioritize(ARGS)).isEqualTo(hami.prioritize(ARGS));
    assertThat(drl.prioritize(ARGS))
        .extracting(HostPriority::score)
        .containsExactly(1L, 10L, 1L); // busy is the busiest: binpack's favourite
  }

  @Test
  void aVetoFiltersTheNodeOutWithTheRuleAndItsReason() {
    var policy =
        PolicyCompiler.compile(
            "binpack+veto",
            List.of(
                PolicySource.classpath("dev/tessera/policies/binpack.drl"),
                new PolicySource("veto.drl", VETO)));
    var e =
        Fixtures.extender(
            cluster(), DrlRanking.following(new PolicyHolder(policy), Engine.Options.DEFAULTS));

    var r = e.filter(ARGS);

    assertThat(r.nodeNames()).containsExactly("idle", "busy");
    assertThat(r.failedNodes())
        .containsEntry(
            "fixing",
            "policy binpack+veto rule \"Nodes in maintenance are never chosen\": node is in"
                + " maintenance");
  }

  @Test
  void aWeightedCombinationRanksByTheWeightedTotalAndNamesTheVetoingPart(@TempDir Path dir)
      throws Exception {
    Path veto = dir.resolve("veto.drl");
    Files.writeString(veto, VETO);
    var combined = new PolicyRegistry().fromArguments(List.of("spread=2", veto + "=1"));
    var e = Fixtures.extender(cluster(), new DrlRanking(combined, Engine.Options.DEFAULTS));

    var r = e.filter(ARGS);

    assertThat(r.nodeNames()).containsExactly("idle", "busy");
    assertThat(r.failedNodes().get("fixing"))
        .isEqualTo(
            "policy "
                + veto
                + " rule \"Nodes in maintenance are never chosen\": node is in maintenance");
    // spread prefers the idle node; the veto part adds nothing to the totals
    assertThat(e.prioritize(ARGS)).extracting(HostPriority::score).containsExactly(10L, 1L, 0L);
  }

  @Test
  void aReloadedPolicyIsServedFromTheNextCall() {
    var holder = new PolicyHolder(new PolicyRegistry().builtIn(PolicyRegistry.BINPACK));
    var ranking = DrlRanking.following(holder, Engine.Options.DEFAULTS);
    var e = Fixtures.extender(cluster(), ranking);
    assertThat(e.prioritize(ARGS)).extracting(HostPriority::score).startsWith(1L, 10L);

    holder.reload("spread", List.of(PolicySource.classpath("dev/tessera/policies/spread.drl")));

    assertThat(ranking.name()).isEqualTo("spread");
    assertThat(e.prioritize(ARGS)).extracting(HostPriority::score).startsWith(10L, 1L);
  }
}
