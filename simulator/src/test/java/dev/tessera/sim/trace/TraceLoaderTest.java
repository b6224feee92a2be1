package dev.tessera.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceLoaderTest {
  @TempDir Path tmp;

  @Test
  void openbPodListFindsTheGpuNodeListBesideIt() {
    Trace t =
        TraceLoader.load(RepoTraces.file("openb/openb_pod_list_default.csv"), null, false, e -> {});
    assertThat(t.nodes()).hasSize(1213);
    assertThat(t.pods()).hasSize(8152);
    Trace all =
        TraceLoader.load(
            RepoTraces.file("openb/openb_pod_list_default.csv"),
            RepoTraces.file("openb/openb_node_list_all_node.csv"),
            false,
            e -> {});
    assertThat(all.nodes()).hasSize(1523);
  }

  @Test
  void nativeTraceByExtension() {
    Trace t = TraceLoader.load(RepoTraces.file("timed/sample-trace.yaml"), null, false, e -> {});
    assertThat(t.pods()).hasSize(200);
  }

  @Test
  void clearErrorsForWhatCannotBeLoaded() throws IOException {
    Path txt = Files.writeString(tmp.resolve("t.txt"), "x");
    assertThatThrownBy(() -> TraceLoader.load(txt, null, false, e -> {}))
        .hasMessageContaining("expected a native trace (.yaml, .yml, .json) or an openb pod list");
    Path csv = Files.writeString(tmp.resolve("pods.csv"), "x");
    assertThatThrownBy(() -> TraceLoader.load(csv, null, false, e -> {}))
        .hasMessageContaining("give --nodes FILE or put openb_node_list_gpu_node.csv beside it");
    assertThatThrownBy(() -> TraceLoader.load(tmp.resolve("nope.yaml"), null, false, e -> {}))
        .hasMessageContaining("no such file");
  }
}
