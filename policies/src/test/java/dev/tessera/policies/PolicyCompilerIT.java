package dev.tessera.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tessera.policies.drl.Policy;
import dev.tessera.policies.drl.PolicyCompileException;
import dev.tessera.policies.drl.PolicyCompiler;
import dev.tessera.policies.drl.PolicyEvaluationException;
import dev.tessera.policies.drl.PolicyHolder;
import dev.tessera.policies.drl.PolicySource;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.facts.NodeFeatures;
import dev.tessera.policies.facts.ScoringRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiling, rejecting, reloading and explaining user DRL policies. */
class PolicyCompilerIT {
  private static final String IMPORTS =
      """
      package user.policy;

      import dev.tessera.policies.facts.NodeFeatures;
      import dev.tessera.policies.facts.ScoringRequest;
      import dev.tessera.policies.facts.ScoreContribution;
      import dev.tessera.policies.facts.Veto;
      """;

  /** Two rules scoring the same node, and a veto; lines 8.. of the file. */
  private static final String TWO_RULES =
      IMPORTS
          + """

          rule "Free memory earns a point per GiB"
          when
              $n : NodeFeatures( fits, freeMemMiB > 0 )
          then
              insert(new ScoreContribution($n.node(), $n.freeMemMiB() / 1024.0));
          end

          rule "Nodes labelled busy lose ten points"
          when
              $n : NodeFeatures( label("team") == "busy" )
          then
              insert(new ScoreContribution($n.node(), -10));
          end

          rule "Nodes in maintenance are never chosen"
          when
              $n : NodeFeatures( label("maintenance") == "true" )
          then
              insert(new Veto($n.node(), "node is in maintenance"));
          end
          """;

  private static Policy twoRules;

  @BeforeAll
  static void compileOnce() {
    twoRules = PolicyCompiler.compile(new PolicySource("two-rules.drl", TWO_RULES));
  }

  static NodeFeatures node(String name, long usedMemMiB, Map<String, String> labels) {
    return new NodeFeatures(
        name,
        true,
        "",
        0,
        1,
        10,
        0,
        16_384,
        usedMemMiB,
        100,
        0,
        List.of("NVIDIA-Tesla T4"),
        labels,
        List.of());
  }

  static ScoringRequest request() {
    return new ScoringRequest("default/p", 1, 1, 1_024, 1_024, 0, 0, Map.of());
  }

  @Test
  void explanationListsEachFiredRuleWithItsPointsAndTheTotal() {
    Ranking r =
        twoRules
            .scorer()
            .score(
                request(),
                List.of(
                    node("a", 8_192, Map.of("team", "busy")),
                    node("b", 12_288, Map.of()),
                    node("c", 0, Map.of("maintenance", "true"))));
    var a = r.node("a").orElseThrow();
    assertThat(a.rules())
        .containsOnly(
            Map.entry("Free memory earns a point per GiB", 8.0),
            Map.entry("Nodes labelled busy lose ten points", -10.0));
    assertThat(a.total()).isEqualTo(-2.0);
    assertThat(r.node("b").orElseThrow().rules())
        .containsExactly(Map.entry("Free memory earns a point per GiB", 4.0));
    var c = r.node("c").orElseThrow();
    assertThat(c.total()).isEqualTo(16.0);
    assertThat(c.vetoes())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo("Nodes in maintenance are never chosen");
              assertThat(v.reason()).isEqualTo("node is in maintenance");
            });
    // c has the most points but is vetoed; b beats a.
    assertThat(r.best().orElseThrow().node()).isEqualTo("b");
    assertThat(r.ranked()).extracting(b -> b.node()).containsExactly("b", "a", "c");
    assertThat(c.explain())
        .contains("+16.0000  Free memory earns a point per GiB")
        .contains("= +16.0000 total")
        .contains("vetoed by \"Nodes in maintenance are never chosen\": node is in maintenance");
  }

  @Test
  void aWarmScorerGivesTheSameAnswerEveryTime() {
    var scorer = twoRules.scorer();
    var nodes = List.of(node("a", 1_024, Map.of()), node("b", 0, Map.of()));
    Ranking first = scorer.score(request(), nodes);
    for (int i = 0; i < 50; i++) {
      assertThat(scorer.score(request(), nodes)).isEqualTo(first);
    }
  }

  @Test
  void oneScorerServesManyThreadsAtOnce() throws Exception {
    var scorer = twoRules.scorer();
    var nodes = List.of(node("a", 1_024, Map.of()), node("b", 0, Map.of("team", "busy")));
    Ranking want = scorer.score(request(), nodes);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<Ranking>>();
      for (int i = 0; i < 200; i++) {
        futures.add(pool.submit(() -> scorer.score(request(), nodes)));
      }
      for (var f : futures) {
        assertThat(f.get()).isEqualTo(want);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void brokenDrlReportsEveryErrorWithFileLineAndColumn() {
    String broken =
        IMPORTS
            + """

            rule "Unknown field"
            when
                $n : NodeFeatures( freeMemoryGiB > 4 )
            then
                insert(new ScoreContribution($n.node(), 1));
            end

            rule "Unknown class on the right-hand side"
            when
                $n : NodeFeatures( fits )
            then
                insert(new ScoreContributon($n.node(), 1));
            end
            """;
    var e =
        catchThrowableOfType(
            PolicyCompileException.class,
            () -> PolicyCompiler.compile(new PolicySource("policies/mine.drl", broken)));
    assertThat(e.errors()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(e.errors())
        .allMatch(l -> l.matches("policies/mine\\.drl:\\d+:\\d+: .+"), "file:line:col");
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors()));
    // line 10 is the unknown field's pattern, line 19 the misspelt class on the right-hand side
    assertThat(e.errors())
        .containsExactly(
            "policies/mine.drl:10:24: Unable to Analyse Expression freeMemoryGiB > 4",
            "policies/mine.drl:19:16: Rule Compilation error ScoreContributon cannot be resolved"
                + " to a type");
  }

  @Test
  void syntaxErrorIsReportedAtItsLineAndColumn() {
    String broken = IMPORTS + "\nrule \"No end\"\nwhen\n    $n : NodeFeatures( fits \nthen\nend\n";
    var e =
        catchThrowableOfType(
            PolicyCompileException.class,
            () -> PolicyCompiler.compile(new PolicySource("syntax.drl", broken)));
    assertThat(e.errors()).isNotEmpty().allMatch(l -> l.matches("syntax\\.drl:\\d+:\\d+: .+"));
  }

  @Test
  void errorsInSeveralFilesNameEachFile() {
    var e =
        catchThrowableOfType(
            PolicyCompileException.class,
            () ->
                PolicyCompiler.compile(
                    "two files",
                    List.of(
                        new PolicySource(
                            "one.drl", IMPORTS + "rule \"x\" when NodeFeatures( nope ) then end\n"),
                        new PolicySource(
                            "two.drl",
                            IMPORTS.replace("user.policy", "user.other")
                                + "rule \"y\" when NodeFeatures( nada ) then end\n"))));
    assertThat(e.errors())
        .containsExactly(
            "one.drl:7:29: Unable to Analyse Expression nope",
            "two.drl:7:29: Unable to Analyse Expression nada");
  }

  @Test
  void globalsAreRejectedBecauseRulesMayOnlyReadFactsAndInsertOutputs() {
    String withGlobal =
        IMPORTS
            + """
            global java.util.List sink;

            rule "Leaks to a global"
            when
                $n : NodeFeatures()
            then
                sink.add($n);
            end
            """;
    assertThatThrownBy(() -> PolicyCompiler.compile(new PolicySource("g.drl", withGlobal)))
        .isInstanceOf(PolicyCompileException.class)
        .hasMessageStartingWith("g.drl:7:1: globals are not allowed in policies");
  }

  @Test
  void aFailedReloadKeepsThePreviousPolicyServing(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("live.drl");
    Files.writeString(file, TWO_RULES);
    var holder = new PolicyHolder(twoRules);
    var nodes = List.of(node("a", 0, Map.of()), node("b", 4_096, Map.of()));
    assertThat(holder.current().score(request(), nodes).best().orElseThrow().node()).isEqualTo("a");

    Files.writeString(file, TWO_RULES.replace("freeMemMiB > 0", "freeMemMiB >"));
    assertThatThrownBy(() -> holder.reload("live", List.of(PolicySource.file(file))))
        .isInstanceOf(PolicyCompileException.class)
        .hasMessageContaining(file + ":");
    assertThat(holder.current().policy()).isSameAs(twoRules);
    assertThat(holder.current().score(request(), nodes).best().orElseThrow().node()).isEqualTo("a");

    // A good reload takes over: now used memory earns points.
    Files.writeString(
        file, TWO_RULES.replace("$n.freeMemMiB() / 1024.0", "$n.usedMemMiB() / 1024.0"));
    holder.reload("live", List.of(PolicySource.file(file)));
    assertThat(holder.current().score(request(), nodes).best().orElseThrow().node()).isEqualTo("b");
  }

  @Test
  void aMissingFileIsReportedAsAPolicyError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.drl");
    assertThatThrownBy(() -> PolicySource.file(missing))
        .isInstanceOf(PolicyCompileException.class)
        .hasMessage(missing + ":0:0: no such policy file");
  }

  @Test
  void aRuleScoringANodeThatIsNotACandidateFailsLoudly() {
    Policy p =
        PolicyCompiler.compile(
            new PolicySource(
                "ghost.drl",
                IMPORTS
                    + "rule \"Ghost\" when ScoringRequest() then insert(new"
                    + " ScoreContribution(\"ghost\", 1)); end\n"));
    assertThatThrownBy(() -> p.scorer().score(request(), List.of(node("a", 0, Map.of()))))
        .isInstanceOf(PolicyEvaluationException.class)
        .hasMessageContaining("rule \"Ghost\" scored node \"ghost\"");
  }
}
