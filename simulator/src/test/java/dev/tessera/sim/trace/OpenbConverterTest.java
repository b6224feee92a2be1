package dev.tessera.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one openb mapping, as {@code tessera simulate} and {@code tessera convert} both use it. */
class OpenbConverterTest {
  private static final String HEADER =
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
          + "deletion_time,scheduled_time\n";

  @TempDir Path tmp;

  private Trace convert(String podRows) throws IOException {
    Path nodes = tmp.resolve("n.csv");
    Files.writeString(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn1,96000,786432,8,V100M32\n");
    Path pods = tmp.resolve("p.csv");
    Files.writeString(pods, HEADER + podRows);
    return new OpenbConverter().read(pods, nodes);
  }

  @Test
  void sharingPodBooksItsMilliAsCoreAndMemoryPercentAndKeepsItsTimes() throws IOException {
    TracePod p =
        convert("openb-pod-0001,3152,4096,1,810,V100M16|V100M32,LS,Running,5,100,5\n")
            .pods()
            .get(0);
    assertThat(p.gpuCores()).isEqualTo(81);
    assertThat(p.gpuMemoryPercent()).isEqualTo(81);
    assertThat(p.gpuMilli()).isEqualTo(810);
    assertThat(p.gpuType()).isEqualTo("V100M16,V100M32");
    assertThat(p.createdAt()).isEqualTo(5);
    assertThat(p.deletedAt()).isEqualTo(100);
  }

  @Test
  void cpuOnlyAndWholeGpuPods() throws IOException {
    Trace t =
        convert(
            "a,1,1,0,0,,LS,Running,0,,0\nb,1,1,0,500,,LS,Running,0,,0\n"
                + "c,1,1,2,1000,,LS,Running,0,,0\n");
    assertThat(t.pods().get(0).gpuCount()).isZero();
    assertThat(t.pods().get(1).gpuCount()).as("num_gpu 0 wins over gpu_milli").isZero();
    assertThat(t.pods().get(2).gpuDemandMilli()).isEqualTo(2000);
  }

  @Test
  void gpuPodWithZeroShareIsRejectedNamingFileLineAndColumn() {
    assertThatThrownBy(() -> convert("openb-pod-0001,1,1,1,0,,LS,Running,0,,0\n"))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("p.csv:2: column gpu_milli")
        .hasMessageContaining("multiple of 10 in [10,1000]");
  }

  @Test
  void nodesGetTheDocumentedGpuMemory() throws IOException {
    TraceNode n = convert("a,1,1,0,0,,LS,Running,0,,0\n").nodes().get(0);
    assertThat(n.gpuMemoryMiB()).isEqualTo(32_768);
    assertThat(n.gpuModel()).isEqualTo("V100M32");
    assertThat(n.gpuCount()).isEqualTo(8);
  }
}
