package dev.tessera.policies.drl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.decision.PolicyDecision;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decisions with warm, incrementally updated sessions equal decisions scored afresh, over sequences
 * of pods of a few shapes placed one after another on seeded random clusters (so most nodes' facts
 * repeat and one node changes per step), with candidate subsets in shuffled order.
 */
class IncrementalDecisionIT {
  private static final String HEADER =
      """
      package t;
      import dev.tessera.policies.facts.*;
      """;

  /** Reads two nodes at once: not node-local, so it must fall back to fresh scoring. */
  private static final String CROSS_NODE =
      HEADER
          + """
          rule "The least busy fitting node earns 5 points"
          when
              $n : NodeFeatures( fits, $s : hamiScore )
              not NodeFeatures( fits, hamiScore < $s )
          then
              insert(new ScoreContribution($n.node(), 5));
          end
          """;

  /** Node-local in shape, but scores a node other than the one it matched. */
  private static final String OTHER_NODE =
      HEADER
          + """
          rule "Every fitting node gives node-0 one point"
          when
              $n : NodeFeatures( fits, node != "node-0" )
          then
              insert(new ScoreContribution("node-0", 1));
          end
          """;

  private static PolicyRegistry registry;

  @BeforeAll
  static void setUp() {
    registry = new PolicyRegistry();
  }

  private static CombinedPolicy policy(String which) {
    return switch (which) {
      case "cross-node" ->
          CombinedPolicy.single(
              PolicyCompiler.compile(
                  "cross",
                  List.of(
                      PolicySource.classpath("dev/tessera/policies/binpack.drl"),
                      new PolicySource("cross.drl", CROSS_NODE))),
              "");
      case "other-node" ->
          CombinedPolicy.single(
              PolicyCompiler.compile(
                  "other",
                  List.of(
                      PolicySource.classpath("dev/tessera/policies/binpack.drl"),
                      new PolicySource("other.drl", OTHER_NODE))),
              "");
      case "prefer-a100" ->
          CombinedPolicy.single(
              PolicyCompiler.compile(
                  "prefer",
                  List.of(
                      PolicySource.classpath("dev/tessera/policies/binpack.drl"),
                      PolicySource.classpath(
                          "dev/tessera/policies/examples/prefer-a100-for-big-memory.drl"))),
              "");
      case "never-mix" ->
          CombinedPolicy.single(
              PolicyCompiler.compile(
                  "tenants",
                  List.of(
                      PolicySource.classpath("dev/tessera/policies/spread.drl"),
                      PolicySource.classpath(
                          "dev/tessera/policies/examples/never-mix-tenants.drl"))),
              "");
      default -> registry.combine(PolicySpec.parse(which));
    };
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "binpack",
        "spread",
        "gpu-binpack",
        "gpu-spread",
        "topology",
        "binpack=1000,topology=10",
        "prefer-a100",
        "never-mix",
        "cross-node",
        "other-node"
      })
  void incrementalDecisionsEqualFreshOnes(String which) {
    CombinedPolicy policy = policy(which);
    var incremental = new PolicyDecider(policy, Engine.Options.DEFAULTS, Optional.empty(), true);
    var fresh = new PolicyDecider(policy, Engine.Options.DEFAULTS, Optional.empty(), false);
    var gen = new dev.tessera.policies.RandomGpuClustersAccess(which.hashCode());
    var rnd = new Random(which.hashCode());
    int placed = 0;
    for (int cluster = 0; cluster < 12; cluster++) {
      ClusterSnapshot snapshot = gen.snapshot();
      List<PodRequest> shapes = List.of(gen.pod(0), gen.pod(1), gen.pod(2));
      for (int step = 0; step < 25; step++) {
        PodRequest shape = shapes.get(rnd.nextInt(shapes.size()));
        PodRequest pod =
            new PodRequest(
                shape.namespace(),
                "p-" + cluster + "-" + step,
                "u-" + cluster + "-" + step,
                shape.annotations(),
                shape.containerNames(),
                shape.initContainerCount(),
                shape.requests());
        List<String> candidates = candidates(snapshot, rnd);
        ClusterSnapshot now = snapshot;
        Object a = outcome(() -> incremental.decide(pod, now, candidates));
        Object b = outcome(() -> fresh.decide(pod, now, candidates));
        assertThat(a).as("cluster %d step %d", cluster, step).isEqualTo(b);
        if (a instanceof PolicyDecision d && d.decision() instanceof Decision.Placed p) {
          placed++;
          snapshot =
              snapshot.assume(new Placement(pod.key(), pod.uid(), p.node(), 0, p.containers()));
        }
      }
    }
    assertThat(placed).isGreaterThan(other(which) ? -1 : 50);
  }

  @org.junit.jupiter.api.Test
  void nodeLocalPoliciesReinsertOnlyChangedNodes() {
    var binpack = new IncrementalScorer(registry.builtIn("binpack"));
    var topology = new IncrementalScorer(registry.builtIn("topology"));
    assertThat(binpack.incremental()).isTrue();
    assertThat(topology.incremental()).isTrue();
    assertThat(new IncrementalScorer(policy("cross-node").parts().get(0).policy()).incremental())
        .isFalse();
    var gen = new dev.tessera.policies.RandomGpuClustersAccess(3);
    ClusterSnapshot snapshot = gen.snapshot();
    while (snapshot.nodes().size() < 4) {
      snapshot = gen.snapshot();
    }
    PodRequest pod = gen.pod(0);
    var options = Engine.Options.DEFAULTS;
    var features = dev.tessera.policies.facts.FeatureExtractor.forSnapshot(pod, snapshot, options);
    var request = dev.tessera.policies.facts.ScoringRequest.of(pod);
    Ranking first = binpack.score(request, features, List.of());
    Ranking again = binpack.score(request, features, List.of());
    assertThat(again).isEqualTo(first);
    // the second decision found every node unchanged and inserted nothing
    assertThat(binpack.insertedNodes()).isEqualTo(features.size());
  }

  private static boolean other(String which) {
    return which.equals("other-node");
  }

  /** The decision, or the exception's class and message when it failed. */
  private static Object outcome(java.util.function.Supplier<PolicyDecision> decide) {
    try {
      return decide.get();
    } catch (RuntimeException e) {
      return Map.of(e.getClass(), String.valueOf(e.getMessage()));
    }
  }

  /** All nodes in snapshot order, or a shuffled subset. */
  private static List<String> candidates(ClusterSnapshot snapshot, Random rnd) {
    var names = new ArrayList<String>();
    snapshot.nodes().forEach(s -> names.add(s.node().name()));
    if (rnd.nextInt(3) == 0) {
      Collections.shuffle(names, rnd);
      return names.subList(0, 1 + rnd.nextInt(names.size()));
    }
    return names;
  }
}
