package dev.tessera.sim.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.engine.testing.SharedReferences;
import dev.tessera.sim.replay.ArrivalReplay;
import dev.tessera.sim.replay.ReplayEvent;
import dev.tessera.sim.replay.ReplayPolicy;
import dev.tessera.sim.run.PodClass;
import dev.tessera.sim.run.PolicyRun;
import dev.tessera.sim.run.SimEvent;
import dev.tessera.sim.run.SimulationResult;
import dev.tessera.sim.trace.Arrival;
import dev.tessera.sim.trace.ArrivalOrders;
import dev.tessera.sim.trace.OpenbCsv;
import dev.tessera.sim.trace.OpenbPod;
import dev.tessera.sim.trace.TiebreakRanks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code summary.json}'s checkpoint cells are the FGD paper's numbers: events of the reference
 * replay (seed 42, FGD and BestFit) written through {@link OutputWriter} give every cell of {@code
 * openb-default-expected.csv} for those runs.
 */
class SummaryFidelityTest {
  @TempDir Path tmp;

  @Test
  void checkpointsEqualThePapersTableForSeed42() throws IOException {
    Path expectedFile = SharedReferences.require("reference/fgd/openb-default-expected.csv");
    List<OpenbPod> pods =
        OpenbCsv.readPods(SharedReferences.require("traces/openb/openb_pod_list_default.csv"));
    var nodes =
        OpenbCsv.readNodes(SharedReferences.require("traces/openb/openb_node_list_gpu_node.csv"));
    List<Arrival> order =
        ArrivalOrders.read(
                SharedReferences.require("reference/fgd/arrival-orders-seeds42-51.csv.gz"))
            .forSeed(42);
    var ranks =
        TiebreakRanks.read(
                SharedReferences.require("reference/fgd/node-tiebreak-rank-seeds42-51.csv"))
            .bySeed()
            .get(42);
    Map<String, OpenbPod> byName = new HashMap<>();
    pods.forEach(p -> byName.put(p.name(), p));
    Map<String, ReplayPolicy> policies =
        Map.of("06-FGD", ReplayPolicy.FGD, "05-BestFit", ReplayPolicy.BEST_FIT);
    List<PolicyRun> runs = new ArrayList<>();
    for (String name : List.of("06-FGD", "05-BestFit")) {
      ArrivalReplay replay = new ArrivalReplay(nodes, pods, ranks, policies.get(name), 42);
      List<ReplayEvent> ev = replay.run(order, byName);
      List<SimEvent> out = new ArrayList<>(ev.size());
      for (int i = 0; i < ev.size(); i++) {
        ReplayEvent e = ev.get(i);
        OpenbPod p = byName.get(order.get(i).sourcePodName());
        out.add(
            new SimEvent(
                i,
                i,
                e.placed() ? SimEvent.Kind.PLACED : SimEvent.Kind.DROPPED,
                p.name(),
                PodClass.of(p.numGpu(), p.gpuMilli()),
                "",
                "",
                e.arrivedMilli(),
                e.allocatedMilli(),
                e.fragMilli(),
                e.idleMilli(),
                0,
                new int[PodClass.values().length],
                0));
      }
      runs.add(new PolicyRun(name, 42, replay.totalGpus(), out, 0));
    }
    Path dir = tmp.resolve("out");
    OutputWriter.write(new SimulationResult("openb", "arrivals", runs, 0), dir);
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());

    List<String> lines = Files.readAllLines(expectedFile);
    List<String> header = List.of(lines.get(0).split(","));
    int cells = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split(",");
      if (!c[3].equals("42") || !policies.containsKey(c[1])) {
        continue;
      }
      JsonNode p = summary.get("policies").get(c[1].equals("06-FGD") ? 0 : 1);
      JsonNode metric = p.get("checkpoints").get(c[4]);
      for (int k = 5; k < c.length; k++) {
        assertThat(metric.get(header.get(k)).asDouble())
            .as("%s %s at %s", c[1], c[4], header.get(k))
            .isEqualTo(Double.parseDouble(c[k]));
        cells++;
      }
    }
    assertThat(cells).isEqualTo(2 * 3 * 21);
  }
}
