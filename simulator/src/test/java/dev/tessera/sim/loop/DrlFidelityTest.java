package dev.tessera.sim.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.testing.SharedReferences;
import dev.tessera.policies.drl.PolicyRegistry;
import dev.tessera.sim.replay.ExpectedCells;
import dev.tessera.sim.replay.FgdMetrics;
import dev.tessera.sim.replay.ReplayEvent;
import dev.tessera.sim.run.PolicyRun;
import dev.tessera.sim.run.SimEvent;
import dev.tessera.sim.trace.ArrivalOrders;
import dev.tessera.sim.trace.OpenbConverter;
import dev.tessera.sim.trace.TiebreakRanks;
import dev.tessera.sim.trace.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FGD experiment through the product path ({@link PolicyLoop}: host filter, engine fit, the
 * built-in DRL policy, engine-validated GPU pick) reproduces every cell of {@code
 * openb-default-expected.csv} within 0.01, given the reference arrival order and tie-break ranks
 * (policies.md §7.4). Skipped without ../shared.
 */
class DrlFidelityTest {
  static final Map<String, String> LABELS =
      Map.of(
          "01-Random", PolicyRegistry.RANDOM,
          "02-DotProd", PolicyRegistry.DOTPROD,
          "03-GpuClustering", PolicyRegistry.GPU_CLUSTERING,
          "04-GpuPacking", PolicyRegistry.GPU_PACKING,
          "05-BestFit", PolicyRegistry.BESTFIT,
          "06-FGD", PolicyRegistry.FGD);

  private static final PolicyRegistry REGISTRY = new PolicyRegistry();

  private record Inputs(
      Trace trace, ArrivalOrders orders, TiebreakRanks ranks, List<String> expected) {}

  private static Inputs inputs;

  static synchronized Inputs inputs() throws IOException {
    var nodesFile = SharedReferences.require("traces/openb/openb_node_list_gpu_node.csv");
    var podsFile = SharedReferences.require("traces/openb/openb_pod_list_default.csv");
    var orderFile = SharedReferences.require("reference/fgd/arrival-orders-seeds42-51.csv.gz");
    var rankFile = SharedReferences.require("reference/fgd/node-tiebreak-rank-seeds42-51.csv");
    var expectedFile = SharedReferences.require("reference/fgd/openb-default-expected.csv");
    if (inputs == null) {
      Trace trace = new OpenbConverter().read(podsFile, nodesFile);
      inputs =
          new Inputs(
              trace,
              ArrivalOrders.read(orderFile),
              TiebreakRanks.read(rankFile),
              Files.readAllLines(expectedFile));
    }
    return inputs;
  }

  /** The run of {@code policy} for {@code seed} with the reference order and ranks. */
  static PolicyRun run(String policy, int seed) throws IOException {
    var in = inputs();
    var sim =
        new Simulation(
            "openb_pod_list_default",
            Simulation.ARRIVALS,
            Workloads.byRank(in.trace().nodes(), in.ranks().forSeed(seed)),
            in.trace().pods(),
            Workloads.fromOrder(in.trace().pods(), in.orders().forSeed(seed)),
            seed,
            PolicyLoop.DEFAULT_MAX_PODS,
            1,
            0);
    Fragmentation frag = sim.fragmentation();
    return sim.runOne(policy, REGISTRY.resolve(policy), frag);
  }

  /** The oracle's metric input of each event. */
  static List<ReplayEvent> replayEvents(PolicyRun run) {
    var out = new ArrayList<ReplayEvent>(run.events().size());
    for (SimEvent e : run.events()) {
      out.add(
          new ReplayEvent(
              e.arrivedMilli(),
              e.allocatedMilli(),
              e.fragMilli(),
              e.idleMilli(),
              e.kind() == SimEvent.Kind.PLACED));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} seed {1} through DRL")
  @CsvSource({
    "02-DotProd,42",
    "03-GpuClustering,42",
    "04-GpuPacking,42",
    "05-BestFit,42",
    "06-FGD,42"
  })
  void reproducesExpectedCells(String label, int seed) throws IOException {
    assertMatches(label, seed);
  }

  static Stream<Arguments> allDeterministic() {
    return Stream.of("02-DotProd", "03-GpuClustering", "04-GpuPacking", "05-BestFit", "06-FGD")
        .flatMap(p -> IntStream.rangeClosed(42, 51).mapToObj(s -> Arguments.of(p, s)));
  }

  // Opt-in, about 50 runs: mvn -B -o -Pquickly -pl simulator -am test -Dtest=DrlFidelityTest
  // -Dtessera.slow=true -Dsurefire.failIfNoSpecifiedTests=false
  @Tag("slow")
  @EnabledIfSystemProperty(named = "tessera.slow", matches = "true")
  @ParameterizedTest(name = "{0} seed {1} through DRL")
  @MethodSource("allDeterministic")
  void reproducesEveryDeterministicCell(String label, int seed) throws IOException {
    assertMatches(label, seed);
  }

  /** Random is timing-dependent even in Go: seed mean of alloc at 130 % must be 87.0–88.1. */
  @Tag("slow")
  @EnabledIfSystemProperty(named = "tessera.slow", matches = "true")
  @Test
  void randomLandsInThePaperRange() throws IOException {
    double sum = 0;
    for (int seed = 42; seed <= 51; seed++) {
      PolicyRun run = run(PolicyRegistry.RANDOM, seed);
      var m = FgdMetrics.discretise(replayEvents(run), run.totalGpus(), new int[] {130});
      sum += m.get(FgdMetrics.ALLOC).get(130);
    }
    System.out.printf("random (DRL) mean alloc at 130%%: %.3f%n", sum / 10);
    assertThat(sum / 10).isBetween(87.0, 88.1);
  }

  static void assertMatches(String label, int seed) throws IOException {
    var in = inputs();
    long t0 = System.nanoTime();
    PolicyRun run = run(LABELS.get(label), seed);
    System.out.printf(
        "%s seed %d via DRL: %d arrivals in %d ms%n",
        label, seed, run.events().size(), (System.nanoTime() - t0) / 1_000_000);
    ExpectedCells.assertMatch(in.expected(), label, seed, replayEvents(run), run.totalGpus());
  }
}
