package dev.tessera.policies.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.optaplanner.core.api.score.Score;
import org.optaplanner.core.api.score.ScoreExplanation;
import org.optaplanner.core.api.score.constraint.ConstraintMatchTotal;
import org.optaplanner.core.api.solver.SolutionManager;

/**
 * What OptaPlanner's {@code ConstraintVerifier} does, for KIE 10.2.0, where {@code
 * optaplanner-test} was never released (Maven Central has only 10.1.0 and KIE versions must not be
 * mixed): score a small hand-built solution with the real solver configuration and assert one
 * constraint's match count and score impact via {@link SolutionManager#explain} and {@link
 * ScoreExplanation#getConstraintMatchTotalMap()}. Unlike {@code ConstraintVerifier}, every
 * constraint of the provider is evaluated; assertions name the one they check.
 *
 * @param <S> solution type
 * @param <Sc> score type
 */
final class ConstraintCheck<S, Sc extends Score<Sc>> {
  private final SolutionManager<S, Sc> manager;

  ConstraintCheck(SolutionManager<S, Sc> manager) {
    this.manager = manager;
  }

  /** The explained score of {@code solution}. */
  Given given(S solution) {
    return new Given(manager.explain(solution));
  }

  /** Assertions on one explained solution. */
  final class Given {
    private final ScoreExplanation<S, Sc> explanation;

    Given(ScoreExplanation<S, Sc> explanation) {
      this.explanation = explanation;
    }

    /** The total score. */
    Sc score() {
      return explanation.getScore();
    }

    /** Asserts {@code constraint} matched {@code count} times with total impact {@code impact}. */
    Given has(String constraint, int count, Sc impact) {
      Map<String, ConstraintMatchTotal<Sc>> totals = explanation.getConstraintMatchTotalMap();
      ConstraintMatchTotal<Sc> total =
          totals.values().stream()
              .filter(t -> t.getConstraintName().equals(constraint))
              .findFirst()
              .orElse(null);
      int matches = total == null ? 0 : total.getConstraintMatchCount();
      assertThat(matches)
          .as("matches of \"%s\"\n%s", constraint, explanation.getSummary())
          .isEqualTo(count);
      if (count > 0) {
        // compareTo, not equals: BigDecimal scores differ in scale (10 vs 10.0) but not in value
        assertThat(total.getScore().compareTo(impact))
            .as(
                "impact of \"%s\": %s, want %s\n%s",
                constraint, total.getScore(), impact, explanation.getSummary())
            .isZero();
      }
      return this;
    }

    /** Asserts {@code constraint} did not match. */
    Given hasNo(String constraint) {
      return has(constraint, 0, null);
    }
  }
}
