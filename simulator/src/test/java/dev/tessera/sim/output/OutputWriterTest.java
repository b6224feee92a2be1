package dev.tessera.sim.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tessera.sim.run.SimulationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputWriterTest {
  @TempDir Path tmp;

  private static List<Map<String, String>> csv(Path f) throws IOException {
    try (MappingIterator<Map<String, String>> it =
        new CsvMapper()
            .readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(f.toFile())) {
      return it.readAll();
    }
  }

  private static int count(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void arrivalsRunWritesEventsSummaryAndSelfContainedReport() throws IOException {
    Path out = tmp.resolve("run1");
    OutputWriter.write(SimResults.arrivalsResult(), out);
    assertThat(out.toFile().list())
        .containsExactlyInAnyOrder(
            "events-fgd.csv",
            "events-bestfit.csv",
            "events-my__odd_.drl.csv",
            "summary.json",
            "report.html");
    // one row per event, with the documented header
    List<Map<String, String>> fgd = csv(out.resolve("events-fgd.csv"));
    assertThat(fgd).hasSize(130);
    assertThat(fgd.get(0).keySet()).containsExactlyElementsOf(OutputWriter.eventColumns());
    assertThat(fgd.get(0)).containsEntry("kind", "placed").containsEntry("class", "cpu-only");
    assertThat(fgd.get(129)).containsEntry("kind", "dropped").containsEntry("node", "");
    assertThat(fgd.get(129)).containsEntry("arrived_milli", "13000");

    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(s.get("format").asText()).isEqualTo("tessera-summary/v1");
    assertThat(s.get("baseline").asText()).isEqualTo("fgd");
    assertThat(s.get("skipped_rows").asInt()).isEqualTo(2);
    JsonNode p0 = s.get("policies").get(0);
    assertThat(p0.get("events_file").asText()).isEqualTo("events-fgd.csv");
    assertThat(p0.get("wall_ms").asLong()).isEqualTo(1234);
    assertThat(p0.get("final").get("alloc_pct").asDouble()).isEqualTo(120.0);
    assertThat(p0.get("final").get("arrived_pct").asDouble()).isEqualTo(130.0);
    // 10 GPUs, 100 milli per event: arrived X % is reached exactly at event 10·X/10 − 1
    JsonNode alloc = p0.get("checkpoints").get("alloc_pct");
    assertThat(alloc.get("50").asDouble()).isEqualTo(50.0);
    assertThat(alloc.get("130").asDouble()).isEqualTo(120.0);
    assertThat(p0.get("checkpoints").get("frag_amount_pct_of_capacity").get("100").asDouble())
        .isEqualTo(0.99); // frag = 99 milli at event 99: 100·99/10000
    assertThat(p0.get("placed").get("cpu-only").asInt() + p0.get("placed").get("sharing").asInt())
        .isEqualTo(120);
    assertThat(p0.get("dropped").get("sharing").asInt() + p0.get("dropped").get("cpu-only").asInt())
        .isEqualTo(10);
    assertThat(p0.get("wait_s").isNull()).isTrue();
    JsonNode p1 = s.get("policies").get(1);
    assertThat(p1.get("gpus_saved_vs_baseline").asDouble()).isEqualTo(-1.0);

    String html = Files.readString(out.resolve("report.html"));
    assertThat(count(html, "<svg")).isEqualTo(4);
    assertThat(count(html, "<tr data-policy=")).isEqualTo(3);
    assertThat(html).contains("GPUs saved vs fgd").contains("my &lt;odd&gt;.drl");
    assertThat(html).doesNotContainPattern("(?i)https?://").doesNotContain("<script");
    assertThat(html).contains("arrivals mode drops pods that do not fit");
  }

  @Test
  void baselineOptionAndUnknownBaseline() throws IOException {
    Path out = tmp.resolve("b");
    OutputWriter.write(SimResults.arrivalsResult(), out, "bestfit");
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(s.get("policies").get(0).get("gpus_saved_vs_baseline").asDouble()).isEqualTo(1.0);
    assertThat(Files.readString(out.resolve("report.html"))).contains("GPUs saved vs bestfit");
    assertThatThrownBy(() -> OutputWriter.write(SimResults.arrivalsResult(), out, "random"))
        .hasMessage(
            "--baseline random: expected one of the simulated policies [fgd, bestfit, policies/my <odd>.drl]");
  }

  @Test
  void timedRunReportsWaitsAndPendingByClass() throws IOException {
    Path out = tmp.resolve("timed");
    OutputWriter.write(
        new SimulationResult("t.yaml", "timed", List.of(SimResults.timed("fgd")), 0), out);
    assertThat(csv(out.resolve("events-fgd.csv"))).hasSize(6);
    JsonNode p =
        new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("policies").get(0);
    assertThat(p.get("pending").get("2-gpu").asInt()).isEqualTo(1);
    assertThat(p.get("placed").get("sharing").asInt()).isEqualTo(1);
    JsonNode w = p.get("wait_s");
    assertThat(w.get("placed").asInt()).isEqualTo(2);
    assertThat(w.get("waited").asInt()).isEqualTo(1);
    assertThat(w.get("mean").asDouble()).isEqualTo(2.0);
    assertThat(w.get("p50").asDouble()).isEqualTo(0.0);
    assertThat(w.get("p99").asDouble()).isEqualTo(4.0);
    String html = Files.readString(out.resolve("report.html"));
    assertThat(count(html, "<svg")).isEqualTo(4);
    assertThat(html).contains("fgd · 2-gpu").contains("p99 wait s");
  }

  @Test
  void rewritingReplacesTheWholeDirectoryAndLeavesNoTemporaries() throws IOException {
    Path out = tmp.resolve("again");
    OutputWriter.write(SimResults.arrivalsResult(), out);
    SimulationResult one =
        new SimulationResult(
            "x", "arrivals", List.of(SimResults.arrivals("dotprod", 10, 50, 50, 0)), 0);
    OutputWriter.write(one, out);
    // the old run's per-policy files went with it
    assertThat(out.toFile().list())
        .containsExactlyInAnyOrder("events-dotprod.csv", "summary.json", "report.html");
    assertThat(tmp.toFile().list()).containsExactly("again");
  }

  @Test
  void directoryWithOtherFilesKeepsThemAndGetsEachOutputReplaced() throws IOException {
    Path out = tmp.resolve("mixed");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "mine");
    Files.writeString(out.resolve("summary.json"), "old");
    OutputWriter.write(SimResults.arrivalsResult(), out);
    assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");
    assertThat(Files.readString(out.resolve("summary.json"))).contains("tessera-summary/v1");
    assertThat(tmp.toFile().list()).containsExactly("mixed");
  }

  @Test
  void outPathThatIsAFileIsRejected() throws IOException {
    Path f = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> OutputWriter.write(SimResults.arrivalsResult(), f))
        .hasMessageContaining("exists and is not a directory");
  }
}
