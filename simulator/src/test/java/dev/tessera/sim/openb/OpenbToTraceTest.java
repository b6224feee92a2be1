package dev.tessera.sim.openb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.sim.trace.OpenbNode;
import dev.tessera.sim.trace.OpenbPod;
import dev.tessera.sim.trace.TraceFormatException;
import dev.tessera.sim.trace.TracePod;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OpenbToTraceTest {
  private static final Path FILE = Path.of("pods.csv");

  private static OpenbPod pod(int k, int m, String spec) {
    return new OpenbPod(
        "openb-pod-0001",
        3152,
        4096,
        k,
        m,
        spec,
        "LS",
        "Running",
        OptionalLong.of(5),
        OptionalLong.of(100),
        OptionalLong.empty());
  }

  @Test
  void sharingPodBooksItsMilliAsCoreAndMemoryPercent() {
    TracePod p = OpenbToTrace.pod(FILE, pod(1, 810, "V100M16|V100M32"));
    assertThat(p.gpuCores()).isEqualTo(81);
    assertThat(p.gpuMemoryPercent()).isEqualTo(81);
    assertThat(p.gpuMilli()).isEqualTo(810);
    assertThat(p.gpuType()).isEqualTo("V100M16,V100M32");
    assertThat(p.createdAt()).isEqualTo(5);
    assertThat(p.deletedAt()).isEqualTo(100);
  }

  @Test
  void podsWithoutGpuMilliAskForNoGpu() {
    assertThat(OpenbToTrace.pod(FILE, pod(0, 0, "")).gpuCount()).isZero();
    assertThat(OpenbToTrace.pod(FILE, pod(1, 0, "")).gpuCount()).isZero();
    assertThat(OpenbToTrace.pod(FILE, pod(2, 1000, "")).gpuDemandMilli()).isEqualTo(2000);
  }

  @Test
  void milliThatIsNoWholePercentIsRejectedNamingFileColumnAndPod() {
    assertThatThrownBy(() -> OpenbToTrace.pod(FILE, pod(1, 815, "")))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("pods.csv")
        .hasMessageContaining("gpu_milli")
        .hasMessageContaining("openb-pod-0001")
        .hasMessageContaining("multiple of 10");
  }

  @Test
  void nodesGetTheDocumentedGpuMemory() {
    var n = OpenbToTrace.node(new OpenbNode("n1", 96_000, 786_432, 8, "V100M32"));
    assertThat(n.gpuMemoryMiB()).isEqualTo(32_768);
    assertThat(n.gpuModel()).isEqualTo("V100M32");
    assertThat(n.gpuCount()).isEqualTo(8);
  }
}
