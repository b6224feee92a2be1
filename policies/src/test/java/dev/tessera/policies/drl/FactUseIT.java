package dev.tessera.policies.drl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.policies.facts.PlacementFeatures;
import org.junit.jupiter.api.Test;

/** Placement facts are skipped only for policies none of whose patterns could match them. */
class FactUseIT {
  private static boolean reads(String drl) {
    Policy p = PolicyCompiler.compile(new PolicySource("t.drl", drl));
    return FactUse.matches(p.kieBase(), PlacementFeatures.class);
  }

  private static final String HEADER =
      """
      package t;
      import dev.tessera.policies.facts.*;
      """;

  @Test
  void builtInsAreClassifiedByTheFactsTheirRulesRead() {
    var registry = new PolicyRegistry();
    assertThat(FactUse.matches(registry.builtIn("binpack").kieBase(), PlacementFeatures.class))
        .isFalse();
    assertThat(FactUse.matches(registry.builtIn("topology").kieBase(), PlacementFeatures.class))
        .isTrue();
  }

  @Test
  void nestedAndSupertypePatternsCount() {
    assertThat(
            reads(
                HEADER
                    + """
                    rule "none placed anywhere"
                    when
                        $n : NodeFeatures()
                        not PlacementFeatures( fits )
                    then
                        insert(new ScoreContribution($n.node(), 1));
                    end
                    """))
        .isTrue();
    assertThat(
            reads(
                HEADER
                    + """
                    rule "anything"
                    when
                        $n : NodeFeatures()
                        Object( this != $n )
                    then
                        insert(new ScoreContribution($n.node(), 1));
                    end
                    """))
        .isTrue();
    assertThat(
            reads(
                HEADER
                    + """
                    rule "count placements"
                    when
                        $n : NodeFeatures()
                        Number( intValue > 0 ) from accumulate( PlacementFeatures( gpus > 1 ), count(1) )
                    then
                        insert(new ScoreContribution($n.node(), 1));
                    end
                    """))
        .isTrue();
  }
}
