package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.decision.Decision;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.policies.drl.PolicyScorer;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.drl.ScoreBreakdown;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.ScoringRequest;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in DRL binpack and spread pick the same node as the plain-Java oracle, {@code
 * Engine.decide} with that node policy (HAMi's node score ordering; equal scores go to the earlier
 * node in snapshot order), over seeded random clusters and pods.
 */
class BuiltInPolicyAgreementIT {
  private static final int CASES = 1_500;
  private static final long SEED = 20261123L;

  private static PolicyRegistry registry;

  @BeforeAll
  static void compileOnce() {
    registry = new PolicyRegistry();
    registry.builtIn(PolicyRegistry.BINPACK);
    registry.builtIn(PolicyRegistry.SPREAD);
  }

  @ParameterizedTest(name = "DRL {0} picks the node Engine.decide picks")
  @ValueSource(strings = {PolicyRegistry.BINPACK, PolicyRegistry.SPREAD})
  void drlAgreesWithTheEngine(String policy) {
    PolicyScorer scorer = registry.builtIn(policy).scorer();
    var options = new Engine.Options(policy, "spread");
    var engine = new Engine(options);
    var gen = new RandomClusters(SEED + policy.hashCode());
    int placed = 0;
    int ties = 0;
    for (int i = 0; i < CASES; i++) {
      ClusterSnapshot snapshot = gen.snapshot();
      PodRequest pod = gen.pod(i);
      Decision oracle = engine.decide(pod, snapshot);
      var features = FeatureExtractor.forSnapshot(pod, snapshot, options);
      Ranking ranking = scorer.score(ScoringRequest.of(pod), features);
      Optional<String> drl = ranking.best().map(ScoreBreakdown::node);
      Optional<String> want =
          oracle instanceof Decision.Placed p ? Optional.of(p.node()) : Optional.empty();
      assertThat(drl).as("case %d, pod %s, ranking %s", i, pod, ranking).isEqualTo(want);
      if (want.isPresent()) {
        placed++;
        double top = ranking.best().orElseThrow().total();
        if (ranking.nodes().stream().filter(b -> b.eligible() && b.total() == top).count() > 1) {
          ties++;
        }
      }
      // Every fitting node's total is the engine's own score (binpack) or its negation (spread).
      for (var v : oracle.verdicts()) {
        var b = ranking.node(v.node()).orElseThrow();
        assertThat(b.eligible()).isEqualTo(v.fits());
        if (v.fits()) {
          assertThat(b.total()).isEqualTo(policy.equals("spread") ? -v.score() : v.score());
        }
      }
    }
    // The generator must exercise both placements and ties, or the property says little.
    assertThat(placed).isGreaterThan(CASES / 3);
    assertThat(ties).isGreaterThan(CASES / 50);
  }
}
