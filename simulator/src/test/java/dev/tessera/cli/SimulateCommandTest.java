package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.sim.trace.RepoTraces;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  @TempDir Path dir;

  private static final String POD_HEADER =
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
          + "deletion_time,scheduled_time\n";

  private record Result(int code, String out, String err) {}

  private Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cl = TesseraCli.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path nodes() throws Exception {
    return Files.writeString(
        dir.resolve("nodes.csv"),
        "sn,cpu_milli,memory_mib,gpu,model\n"
            + "openb-node-0001,64000,262144,2,V100M16\n"
            + "openb-node-0002,96000,786432,8,V100M32\n");
  }

  @Test
  void comparesPoliciesAndWritesEventsAndSummary() throws Exception {
    Path pods =
        Files.writeString(
            dir.resolve("pods.csv"),
            POD_HEADER
                + "openb-pod-0001,4000,8192,1,500,,LS,Running,0,100,0\n"
                + "openb-pod-0002,8000,8192,2,1000,,LS,Running,1,100,1\n"
                + "openb-pod-0003,2000,4096,0,0,,LS,Running,2,100,2\n"
                + "openb-pod-0004,4000,8192,1,250,V100M32,LS,Running,3,100,3\n");
    Path out = dir.resolve("out");
    Result r =
        run(
            "simulate",
            "--trace",
            pods.toString(),
            "--nodes",
            nodes().toString(),
            "--policy",
            "fgd,bestfit,random",
            "--out",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("policy").contains("fgd").contains("bestfit").contains("random");
    assertThat(out.resolve("events-fgd.csv")).exists();
    assertThat(Files.readAllLines(out.resolve("events-bestfit.csv")).get(0))
        .startsWith("seq,time,kind,pod,class,node,gpus");
    var summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("mode").asText()).isEqualTo("arrivals");
    assertThat(summary.get("policies")).hasSize(3);
    assertThat(summary.get("policies").get(0).get("policy").asText()).isEqualTo("fgd");
    assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    // no terminal: progress comes as plain lines, one per finished policy at least
    assertThat(r.err()).contains("simulate").contains("fgd").contains("bestfit");
  }

  @Test
  void nativeTraceInTimedModeWithABaseline() throws Exception {
    Path out = dir.resolve("timed");
    Result r =
        run(
            "simulate",
            "--trace",
            RepoTraces.file("timed/sample-trace.yaml").toString(),
            "--mode",
            "timed",
            "--policy",
            "fgd,bestfit",
            "--baseline",
            "bestfit",
            "--out",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("saved vs bestfit").contains("report.html");
    var summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("mode").asText()).isEqualTo("timed");
    assertThat(summary.get("baseline").asText()).isEqualTo("bestfit");
    assertThat(summary.get("policies").get(0).get("events").asInt()).isGreaterThanOrEqualTo(200);
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html).contains("<svg").doesNotContain("<script src").doesNotContain("<link");
  }

  @Test
  void openbPodListWithoutANodeListSaysHowToGiveOne() throws Exception {
    Path pods = Files.writeString(dir.resolve("pods.csv"), POD_HEADER);
    Result r = run("simulate", "--trace", pods.toString(), "--out", dir.resolve("o").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--nodes FILE").contains("openb_node_list_gpu_node.csv");
    Result b =
        run(
            "simulate",
            "--trace",
            pods.toString(),
            "--policy",
            "fgd",
            "--baseline",
            "bestfit",
            "--out",
            dir.resolve("o").toString());
    assertThat(b.code()).isEqualTo(2);
    assertThat(b.err()).contains("--baseline bestfit");
  }

  @Test
  void badRowExitsWithTwoNamingFileLineAndColumn() throws Exception {
    Path pods =
        Files.writeString(
            dir.resolve("pods.csv"),
            POD_HEADER
                + "openb-pod-0001,4000,8192,1,500,,LS,Running,0,100,0\n"
                + "openb-pod-0002,lots,8192,1,500,,LS,Running,0,100,0\n");
    Result r = run("simulate", "--trace", pods.toString(), "--nodes", nodes().toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("pods.csv:3").contains("cpu_milli");
  }

  @Test
  void timedModeReportsPendingPods() throws Exception {
    Path pods =
        Files.writeString(
            dir.resolve("pods.csv"),
            POD_HEADER
                + "openb-pod-0001,4000,8192,8,1000,,LS,Running,0,100,0\n"
                + "openb-pod-0002,4000,8192,8,1000,,LS,Running,5,,0\n"
                + "openb-pod-0003,4000,8192,8,1000,,LS,Running,6,,0\n");
    Result r =
        run(
            "simulate",
            "--trace",
            pods.toString(),
            "--nodes",
            nodes().toString(),
            "--mode",
            "timed",
            "--policy",
            "fgd",
            "--out",
            dir.resolve("out").toString());
    assertThat(r.code()).as(r.err()).isZero();
    // the second 8-GPU pod waits for the first to leave, the third never gets a node
    assertThat(r.out()).containsPattern("fgd\\s+2\\s+0\\s+1\\s");
  }
}
