package dev.tessera.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.testing.SharedReferences;
import dev.tessera.sim.replay.ArrivalReplay;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenbTraceTest {
  private static final String POD_HEADER =
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
          + "deletion_time,scheduled_time\n";

  @TempDir Path tmp;

  @Test
  void realGpuNodeListHas1213NodesAnd6212Gpus() {
    var nodes =
        OpenbCsv.readNodes(SharedReferences.require("traces/openb/openb_node_list_gpu_node.csv"));
    assertThat(nodes).hasSize(1213);
    assertThat(nodes.stream().mapToInt(OpenbNode::gpuCount).sum()).isEqualTo(6212);
    assertThat(nodes).allSatisfy(n -> assertThat(n.model()).isNotEmpty());
    assertThat(nodes.stream().mapToLong(OpenbNode::cpuMilli).max().getAsLong()).isEqualTo(128000);
  }

  @Test
  void realDefaultTraceHas8152PodsAndPolicies6_1TypicalPods() {
    var pods =
        OpenbCsv.readPods(SharedReferences.require("traces/openb/openb_pod_list_default.csv"));
    assertThat(pods).hasSize(8152);
    // policies.md §7.1: the originals' GPU demand A0 is 6,086,800 milli.
    assertThat(pods.stream().map(ArrivalReplay::toFgdPod).mapToLong(FgdPod::gpuDemand).sum())
        .isEqualTo(6_086_800L);
    // policies.md §6.1: 35 keys taken, cum = 7766, top key (3152, 810, 1) × 1047.
    var t = TargetWorkload.fromPods(pods.stream().map(ArrivalReplay::toFgdPod).toList());
    assertThat(t.size()).isEqualTo(35);
    assertThat(t.cumulative()).isEqualTo(7766);
    var top = t.classes().get(0);
    assertThat(top.cpuMilli()).isEqualTo(3152);
    assertThat(top.gpuMilli()).isEqualTo(810);
    assertThat(top.gpuCount()).isEqualTo(1);
    assertThat(top.count()).isEqualTo(1047);
  }

  @Test
  void realArrivalOrdersAndRanks() {
    var orders =
        ArrivalOrders.read(
            SharedReferences.require("reference/fgd/arrival-orders-seeds42-51.csv.gz"));
    assertThat(orders.bySeed().keySet()).containsExactly(42, 43, 44, 45, 46, 47, 48, 49, 50, 51);
    // policies.md §7.1: seed 42 appends 2714 tuned copies after the 8152 originals.
    var seed42 = orders.forSeed(42);
    assertThat(seed42).hasSize(8152 + 2714);
    assertThat(seed42.get(0).sourcePodName()).isEqualTo("openb-pod-0255");
    assertThat(seed42.subList(0, 8152)).allSatisfy(a -> assertThat(a.tunedIndex()).isEmpty());
    assertThat(seed42.get(8152).tunedIndex()).hasValue(0);
    var ranks =
        TiebreakRanks.read(
            SharedReferences.require("reference/fgd/node-tiebreak-rank-seeds42-51.csv"));
    assertThat(ranks.nodes()).hasSize(1213);
    assertThat(ranks.forSeed(42).get("openb-node-0000")).isEqualTo(601);
    assertThat(ranks.forSeed(51).values())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, 1213).boxed().toList());
  }

  @Test
  void everyOpenbTraceFileReadsStrictly() throws IOException {
    Path dir = SharedReferences.require("traces/openb");
    int pods = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("openb_pod_list_") && name.endsWith(".csv")) {
          pods += OpenbCsv.readPods(f).size();
        }
      }
    }
    assertThat(pods).isGreaterThan(8152);
    var multi = OpenbCsv.readPods(dir.resolve("openb_pod_list_multigpu50.csv"));
    assertThat(multi).allSatisfy(p -> assertThat(p.creationTime()).isEmpty());
    assertThat(multi).allSatisfy(p -> assertThat(p.gpuSpec()).isEmpty());
    var all = OpenbCsv.readNodes(dir.resolve("openb_node_list_all_node.csv"));
    assertThat(all).hasSize(1523);
    assertThat(all.stream().filter(n -> n.gpuCount() == 0))
        .allSatisfy(n -> assertThat(n.model()).isEmpty());
  }

  @Test
  void badCellNamesFileLineColumnAndExpectedForm() throws IOException {
    Path f = tmp.resolve("pods.csv");
    Files.writeString(
        f,
        POD_HEADER
            + "openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0\n"
            + "openb-pod-0001,6000,12288,1,abc,,LS,Running,427061,12902960,427061\n"
            + "openb-pod-0002,6000,12288,1,460,,LS,Running,1,2,\n");
    assertThatThrownBy(() -> OpenbCsv.readPods(f))
        .isInstanceOf(TraceFormatException.class)
        .hasMessage(f + ":3: column gpu_milli: expected an integer in [0,1000], got \"abc\"");
    var lenient = OpenbCsv.readPods(f, true);
    assertThat(lenient.rows())
        .extracting(OpenbPod::name)
        .containsExactly("openb-pod-0000", "openb-pod-0002");
    assertThat(lenient.skippedCount()).isEqualTo(1);
    assertThat(lenient.skipped().get(0).line()).isEqualTo(3);
    assertThat(lenient.skipped().get(0).column()).isEqualTo("gpu_milli");
    assertThat(lenient.rows().get(1).scheduledTime()).isEmpty();
  }

  @Test
  void wrongCellCountNegativeValuesAndSharedMultiGpuAreRejected() throws IOException {
    Path f = tmp.resolve("pods.csv");
    Files.writeString(
        f,
        POD_HEADER
            + "openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496\n"
            + "openb-pod-0001,-5,16384,1,1000,,LS,Running,0,1,0\n"
            + "openb-pod-0002,5,16384,2,500,,LS,Running,0,1,0\n"
            + "openb-pod-0003,5,16384,9999,1000,,LS,Running,0,1,0\n");
    var r = OpenbCsv.readPods(f, true);
    assertThat(r.rows()).isEmpty();
    assertThat(r.skipped())
        .extracting(TraceFormatException::getMessage)
        .containsExactly(
            f + ":2: expected 11 comma-separated cells, got 10",
            f + ":3: column cpu_milli: expected a non-negative integer, got \"-5\"",
            f + ":4: column gpu_milli: expected 1000 (or 0) when num_gpu > 1, got 500",
            f + ":5: column num_gpu: expected an integer in [0,1024], got \"9999\"");
  }

  @Test
  void wrongHeaderIsRejectedEvenWhenSkippingRows() throws IOException {
    Path f = tmp.resolve("nodes.csv");
    Files.writeString(f, "sn,cpu,memory_mib,gpu,model\nn1,1,1,1,G1\n");
    assertThatThrownBy(() -> OpenbCsv.readNodes(f, true))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageStartingWith(f + ":1: expected header sn,cpu_milli,memory_mib,gpu,model");
  }

  @Test
  void gzipOrderFileMustHaveConsecutiveSeq() throws IOException {
    Path f = tmp.resolve("order.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write(
          "seed,seq,source_pod,tuned_index\n42,0,0001,\n42,2,0002,\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> ArrivalOrders.read(f))
        .isInstanceOf(TraceFormatException.class)
        .hasMessage(f + ":3: column seq: expected 1 (consecutive within seed 42), got 2");
  }

  @Test
  void rankFileRejectsDuplicateRanks() throws IOException {
    Path f = tmp.resolve("ranks.csv");
    Files.writeString(f, "node,rank_seed42\nn1,0\nn2,0\n");
    assertThatThrownBy(() -> TiebreakRanks.read(f))
        .isInstanceOf(TraceFormatException.class)
        .hasMessage(
            f + ":3: column rank_seed42: expected distinct ranks within a seed, got a repeat of 0");
  }
}
