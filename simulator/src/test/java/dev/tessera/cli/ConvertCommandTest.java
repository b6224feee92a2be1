package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.sim.trace.NativeTraceReader;
import dev.tessera.sim.trace.RepoTraces;
import dev.tessera.sim.trace.Trace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    var cl = TesseraCli.newCommandLine();
    var out = new StringWriter();
    var err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void convertsTheShippedOpenbTrace() {
    Path out = tmp.resolve("openb.yaml");
    Run r =
        run(
            "convert",
            "--pods",
            RepoTraces.file("openb/openb_pod_list_default.csv").toString(),
            "--nodes",
            RepoTraces.file("openb/openb_node_list_gpu_node.csv").toString(),
            "--out",
            out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("wrote " + out + ": 1213 nodes, 8152 pods\n");
    Trace t = NativeTraceReader.read(out);
    assertThat(t.pods()).hasSize(8152);
  }

  @Test
  void badRowStopsWithFileLineAndColumnUnlessSkipped() throws IOException {
    Path nodes = tmp.resolve("n.csv");
    Files.writeString(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn1,64000,262144,2,G9\n");
    Path pods = tmp.resolve("p.csv");
    Files.writeString(
        pods, "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1000,1024,1,505\np1,1,1,1,500\n");
    Path out = tmp.resolve("o.yaml");
    Run bad =
        run(
            "convert",
            "--pods",
            pods.toString(),
            "--nodes",
            nodes.toString(),
            "--out",
            out.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err())
        .startsWith("tessera: " + nodes + ":2: column model:")
        .contains("--gpu-memory G9=MIB");
    assertThat(out).doesNotExist();

    Run ok =
        run(
            "convert",
            "--pods",
            pods.toString(),
            "--nodes",
            nodes.toString(),
            "--out",
            out.toString(),
            "--gpu-memory",
            "G9=12288",
            "--skip-bad-rows");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).endsWith(": 1 nodes, 1 pods (1 bad rows skipped)\n");
    assertThat(ok.err()).startsWith("skipped " + pods + ":2: column gpu_milli:");
    assertThat(NativeTraceReader.read(out).nodes().get(0).gpuMemoryMiB()).isEqualTo(12288);
  }
}
