package dev.tessera.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NativeTraceTest {
  @TempDir Path tmp;

  private static final String HEAD = "version: tessera-trace/v1\n";
  private static final String ONE_NODE =
      "nodes:\n- {name: n1, cpuMilli: 64000, memoryMiB: 262144, gpuModel: T4, gpuCount: 2,"
          + " gpuMemoryMiB: 16384}\n";

  private Path file(String content) throws IOException {
    Path f = tmp.resolve("t.yaml");
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void writtenTraceReadsBackEqual() {
    var trace =
        new Trace(
            "x",
            List.of(
                new TraceNode(
                    "a100-1",
                    96000,
                    786432,
                    "NVIDIA A100-SXM4-40GB",
                    8,
                    40960,
                    Map.of("zone", "a", "gpu", "on")),
                new TraceNode("cpu-1", 32000, 262144, "", 0, 0, Map.of())),
            List.of(
                new TracePod("web-0", 500, 1024, 0, 0, 0, 0, "", 0, -1),
                new TracePod("infer-0", 4000, 8192, 1, 6000, 0, 30, "A10,T4", 12.5, 99.25),
                new TracePod("share-0", 3152, 5600, 1, 0, 59, 59, "", 427061, 12902960),
                new TracePod("train-0", 32000, 65536, 8, 0, 0, 0, "NVIDIA A100-SXM4-40GB", 3, -1)),
            0);
    Path f = tmp.resolve("out/trace.yaml");
    NativeTraceWriter.write(trace, f);
    Trace back = NativeTraceReader.read(f);
    assertThat(back.nodes()).isEqualTo(trace.nodes());
    assertThat(back.pods()).isEqualTo(trace.pods());
    assertThat(back.skippedRows()).isZero();
    assertThat(back.pods().get(2).gpuMilli()).isEqualTo(590);
    assertThat(back.pods().get(3).gpuDemandMilli()).isEqualTo(8000);
    // no temporary files left beside the output
    assertThat(f.getParent().toFile().list()).containsExactly("trace.yaml");
  }

  @Test
  void openbDefaultConvertsAndRoundTrips() throws IOException {
    Path pods = RepoTraces.file("openb/openb_pod_list_default.csv");
    Path nodes = RepoTraces.file("openb/openb_node_list_gpu_node.csv");
    Trace t = new OpenbConverter().read(pods, nodes);
    assertThat(t.nodes()).hasSize(1213);
    assertThat(t.pods()).hasSize(8152);
    assertThat(t.nodes().stream().mapToInt(TraceNode::gpuCount).sum()).isEqualTo(6212);
    // each converted pod asks for exactly the openb share: A0 = 6,086,800 milli (policies.md §7.1)
    assertThat(t.pods().stream().mapToLong(TracePod::gpuDemandMilli).sum()).isEqualTo(6_086_800L);
    List<OpenbPod> raw = OpenbCsv.readPods(pods);
    for (int i = 0; i < raw.size(); i++) {
      OpenbPod o = raw.get(i);
      TracePod p = t.pods().get(i);
      assertThat(p.name()).isEqualTo(o.name());
      assertThat(p.gpuMilli()).isEqualTo(o.numGpu() == 0 ? 0 : o.gpuMilli());
      assertThat(p.createdAt()).isEqualTo(o.creationTime().getAsLong());
      assertThat(p.deletedAt()).isEqualTo(o.deletionTime().getAsLong());
    }
    for (String name : List.of("openb.yaml", "openb.json")) {
      Path out = tmp.resolve(name);
      NativeTraceWriter.write(t, out);
      Trace back = NativeTraceReader.read(out);
      assertThat(back.nodes()).isEqualTo(t.nodes());
      assertThat(back.pods()).isEqualTo(t.pods());
    }
    // the JSON form is plain JSON (a JSON parser reads it) with one entry per line
    Path json = tmp.resolve("openb.json");
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("pods"))
        .hasSize(8152);
    assertThat(Files.readAllLines(json)).hasSize(2 + 1213 + 1 + 8152);
  }

  @Test
  void allNodeListKeepsCpuOnlyNodes() {
    Trace t =
        new OpenbConverter()
            .read(
                RepoTraces.file("openb/openb_pod_list_default.csv"),
                RepoTraces.file("openb/openb_node_list_all_node.csv"));
    assertThat(t.nodes()).hasSize(1523);
    assertThat(t.nodes().stream().filter(n -> n.gpuCount() == 0).count()).isEqualTo(310);
  }

  @Test
  void converterMapsSpecsAndRejectsSharesNotInWholePercent() throws IOException {
    Path nodes = tmp.resolve("n.csv");
    Files.writeString(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn1,64000,262144,2,T4\n");
    Path pods = tmp.resolve("p.csv");
    String header =
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
            + "deletion_time,scheduled_time\n";
    Files.writeString(
        pods,
        header
            + "p0,1000,1024,1,500,V100M32|T4|V100M32,LS,Running,0,,0\n"
            + "p1,1000,1024,1,505,,LS,Running,5,10,5\n");
    assertThatThrownBy(() -> new OpenbConverter().read(pods, nodes))
        .isInstanceOf(TraceFormatException.class)
        .hasMessage(
            pods
                + ":3: column gpu_milli: expected a multiple of 10 in [10,1000] for a GPU pod"
                + " (num_gpu 1), got 505; the native format states GPU shares in whole percent");
    List<TraceFormatException> skipped = new ArrayList<>();
    Trace t = new OpenbConverter().read(pods, nodes, true, skipped::add);
    assertThat(t.skippedRows()).isEqualTo(1);
    assertThat(skipped).singleElement().extracting(TraceFormatException::line).isEqualTo(3);
    TracePod p0 = t.pods().get(0);
    assertThat(p0.gpuType()).isEqualTo("V100M32,T4");
    assertThat(p0.gpuCores()).isEqualTo(50);
    assertThat(p0.gpuMemoryPercent()).isEqualTo(50);
    assertThat(p0.deletedAt()).isNegative();
  }

  @Test
  void converterNamesUnknownGpuModels() throws IOException {
    Path nodes = tmp.resolve("n.csv");
    Files.writeString(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn1,64000,262144,2,H100\n");
    Path pods = tmp.resolve("p.csv");
    Files.writeString(pods, "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1,1,0,0\n");
    assertThatThrownBy(() -> new OpenbConverter().read(pods, nodes))
        .hasMessageStartingWith(nodes + ":2: column model: expected a GPU model with known memory")
        .hasMessageContaining("--gpu-memory H100=MIB");
    Trace t = new OpenbConverter(OpenbConverter.tableWith(Map.of("H100", 81920))).read(pods, nodes);
    assertThat(t.nodes().get(0).gpuMemoryMiB()).isEqualTo(81920);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no version          | nodes: []\\npods: []\\n | :1:1: field nodes: expected version: tessera-trace/v1 as the first key
          wrong version       | version: tessera-trace/v9\\nnodes: []\\npods: []\\n | :1:10: field version: expected tessera-trace/v1
          missing pods        | VERSIONNODES | field pods: missing; expected a list (write [] for none)
          unknown key         | VERSIONNODESpods: []\\nextra: 1\\n | :5:1: field extra: unknown top-level key
          cores too high      | VERSIONNODESpods:\\n- {name: p, cpuMilli: 1, memoryMiB: 1, gpuCount: 1, gpuCores: 150}\\n | :5:63: field gpuCores: expected an integer in [1,100] (percent of each GPU's compute), got 150 in pods[0]
          text number         | VERSIONNODESpods:\\n- {name: p, cpuMilli: \"1\", memoryMiB: 1}\\n | :5:23: field cpuMilli: expected an integer ≥ 0 (CPU request in millicores), got the text \"1\" in pods[0]
          missing cpu         | VERSIONNODESpods:\\n- {name: p, memoryMiB: 1}\\n | :5:3: field cpuMilli: missing; expected an integer ≥ 0 (CPU request in millicores) in pods[0]
          both memories       | VERSIONNODESpods:\\n- {name: p, cpuMilli: 1, memoryMiB: 1, gpuCount: 1, gpuMemoryMiB: 10, gpuMemoryPercent: 5}\\n | field gpuMemoryPercent: expected either gpuMemoryMiB or gpuMemoryPercent, not both
          cpu pod with cores  | VERSIONNODESpods:\\n- {name: p, cpuMilli: 1, memoryMiB: 1, gpuCores: 5}\\n | field gpuCores: not allowed for a CPU-only pod (gpuCount 0) in pods[0]
          unknown pod field   | VERSIONNODESpods:\\n- {name: p, cpuMilli: 1, memoryMiB: 1, gpus: 1}\\n | field gpus: unknown pod field; expected one of [name, cpuMilli
          departs early       | VERSIONNODESpods:\\n- {name: p, cpuMilli: 1, memoryMiB: 1, createdAt: 10, deletedAt: 5}\\n | field deletedAt: expected a time ≥ createdAt (10.0)
          duplicate pod       | VERSIONNODESpods:\\n- {name: p, cpuMilli: 1, memoryMiB: 1}\\n- {name: p, cpuMilli: 1, memoryMiB: 1}\\n | :6:3: field name: duplicate pod name \"p\" in pods[1]
          gpu node no model   | VERSIONnodes:\\n- {name: n, cpuMilli: 1, memoryMiB: 1, gpuCount: 2, gpuMemoryMiB: 1}\\npods: []\\n | :3:3: field gpuModel: missing; expected text in nodes[0]
          bad gpu type        | VERSIONNODESpods:\\n- {name: p, cpuMilli: 1, memoryMiB: 1, gpuCount: 1, gpuType: \"A10, T4\"}\\n | field gpuType: expected GPU models separated by single commas
          not yaml            | VERSIONnodes: [\\n | not valid YAML
          """)
  void badInputNamesFileLineColumnFieldAndExpectedForm(String what, String body, String expected)
      throws IOException {
    String text = body.replace("\\n", "\n").replace("VERSION", HEAD).replace("NODES", ONE_NODE);
    Path f = file(text);
    assertThatThrownBy(() -> NativeTraceReader.read(f))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining(expected);
  }

  @Test
  void skipBadRowsSkipsAndCountsEntries() throws IOException {
    Path f =
        file(
            HEAD
                + ONE_NODE
                + "- {name: n2, cpuMilli: -1, memoryMiB: 1}\n"
                + "pods:\n"
                + "- {name: ok, cpuMilli: 1, memoryMiB: 1}\n"
                + "- {name: bad, cpuMilli: 1, memoryMiB: 1, gpuCount: 1, gpuCores: 0}\n"
                + "- [not, a, mapping]\n"
                + "- {name: ok2, cpuMilli: 1, memoryMiB: 1, gpuCount: 2, gpuCores: 50}\n");
    List<TraceFormatException> seen = new ArrayList<>();
    Trace t = NativeTraceReader.read(f, true, seen::add);
    assertThat(t.skippedRows()).isEqualTo(3);
    assertThat(t.nodes()).extracting(TraceNode::name).containsExactly("n1");
    assertThat(t.pods()).extracting(TracePod::name).containsExactly("ok", "ok2");
    assertThat(seen).extracting(TraceFormatException::line).containsExactly(4, 7, 8);
    assertThatThrownBy(() -> NativeTraceReader.read(f)).hasMessageContaining(":4:");
  }

  @Test
  void shippedTimedSampleReads() {
    Trace t = NativeTraceReader.read(RepoTraces.file("timed/sample-trace.yaml"));
    assertThat(t.nodes()).hasSize(8);
    assertThat(t.nodes().stream().mapToInt(TraceNode::gpuCount).sum()).isEqualTo(32);
    assertThat(t.pods()).hasSize(200);
    assertThat(t.pods().stream().filter(p -> p.deletedAt() >= 0).count()).isGreaterThan(150);
    assertThat(t.pods()).extracting(TracePod::createdAt).isSorted();
    assertThat(t.pods().stream().map(TracePod::gpuCount).distinct()).contains(0, 1, 2, 4);
  }

  @Test
  void jsonFilesAreAccepted() throws IOException {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"version\": \"tessera-trace/v1\",\n \"nodes\": [{\"name\": 5}]}");
    assertThatThrownBy(() -> NativeTraceReader.read(bad))
        .hasMessageStartingWith(bad + ":2:21: field name: expected a text name");
    Path f =
        file(
            "{\"version\": \"tessera-trace/v1\", \"nodes\": [{\"name\": \"n\", \"cpuMilli\": 1,"
                + " \"memoryMiB\": 2, \"labels\": {\"a\": \"b\"}}], \"pods\": []}");
    Trace t = NativeTraceReader.read(f);
    assertThat(t.nodes().get(0).labels()).isEqualTo(Map.of("a", "b"));
  }
}
