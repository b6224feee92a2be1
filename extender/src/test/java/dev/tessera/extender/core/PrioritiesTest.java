package dev.tessera.extender.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.extender.wire.HostPriority;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The documented mapping from policy preferences to kube-scheduler's 0..10. */
class PrioritiesTest {
  private static NodeResult fits(String node, double preference) {
    return NodeResult.feasible(node, preference);
  }

  private static NodeResult fails(String node) {
    return new NodeResult(node, NodeResult.Outcome.FAILED, 0, "1/1 CardInsufficientMemory");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "the most preferred gets 10, the least 1, linear between",
            List.of(fits("a", 0), fits("b", 15), fits("c", 30)),
            List.of(1L, 6L, 10L)),
        Arguments.of(
            "negative preferences (spread) scale the same way",
            List.of(fits("a", -30), fits("b", -3)),
            List.of(1L, 10L)),
        Arguments.of(
            "equally preferred nodes all get 10",
            List.of(fits("a", 7), fits("b", 7)),
            List.of(10L, 10L)),
        Arguments.of("a single feasible node gets 10", List.of(fits("a", 3)), List.of(10L)),
        Arguments.of(
            "infeasible nodes get 0 and do not stretch the scale",
            List.of(fails("x"), fits("a", 1), fits("b", 2)),
            List.of(0L, 1L, 10L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void maps(String name, List<NodeResult> results, List<Long> want) {
    assertThat(Priorities.map(results)).extracting(HostPriority::score).isEqualTo(want);
    assertThat(Priorities.map(results))
        .extracting(HostPriority::host)
        .isEqualTo(results.stream().map(NodeResult::node).toList());
  }
}
