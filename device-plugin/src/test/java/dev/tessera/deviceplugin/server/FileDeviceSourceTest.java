package dev.tessera.deviceplugin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.deviceplugin.topology.LinkType;
import dev.tessera.deviceplugin.topology.PairScoring;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.MigProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDeviceSourceTest {
  @Test
  void readsYamlSortedByIndexWithDefaults() {
    var gpus =
        FileDeviceSource.parse(
            "gpus.yaml",
            """
            gpus:
              - uuid: GPU-b
                index: 1
                memoryMiB: 81920
                numa: 1
                healthy: false
              - uuid: GPU-a
                index: 0
                type: NVIDIA-Tesla T4
                memoryMiB: 15360
            """);
    assertThat(gpus)
        .containsExactly(
            new GpuInfo("GPU-a", 0, "NVIDIA-Tesla T4", 15360, OptionalInt.empty(), true),
            new GpuInfo("GPU-b", 1, "NVIDIA", 81920, OptionalInt.of(1), false));
  }

  @Test
  void readsJson() {
    assertThat(
            FileDeviceSource.parse(
                "gpus.json", "{\"gpus\":[{\"uuid\":\"GPU-a\",\"index\":0,\"memoryMiB\":100}]}"))
        .hasSize(1);
  }

  @Test
  void namesTheFileAndEntryOfABadField() {
    assertThatThrownBy(
            () -> FileDeviceSource.parse("gpus.yaml", "gpus:\n  - {uuid: GPU-a, index: 0}\n"))
        .isInstanceOf(DeviceSourceException.class)
        .hasMessage("GPU file gpus.yaml, gpus[0]: \"memoryMiB\" must be a positive integer");
    assertThatThrownBy(
            () ->
                FileDeviceSource.parse(
                    "gpus.yaml",
                    "gpus:\n  - {uuid: GPU-a, index: 0, memoryMiB: 1}\n"
                        + "  - {uuid: GPU-a, index: 1, memoryMiB: 1}\n"))
        .hasMessage("GPU file gpus.yaml, gpus[1]: duplicate uuid GPU-a");
    assertThatThrownBy(() -> FileDeviceSource.parse("gpus.yaml", "gpu: []"))
        .hasMessageContaining("expected a top-level \"gpus\" list");
  }

  @Test
  void aMissingFileIsADeviceSourceError() {
    assertThatThrownBy(() -> new FileDeviceSource(Path.of("/nonexistent/gpus.yaml")).devices())
        .isInstanceOf(DeviceSourceException.class)
        .hasMessageContaining("cannot read GPU file /nonexistent/gpus.yaml");
  }

  @Test
  void linksGivePairScores(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("gpus.yaml");
    Files.writeString(
        f,
        """
        gpus:
          - uuid: GPU-a
            index: 0
            memoryMiB: 100
            links:
              1: [P2PLinkSameCPU, TwoNVLINKLinks]
          - uuid: GPU-b
            index: 1
            memoryMiB: 100
            links:
              0: [P2PLinkSameCPU, TwoNVLINKLinks]
          - uuid: GPU-c
            index: 2
            memoryMiB: 100
        """);
    var links = new FileDeviceSource(f).links();
    assertThat(links.get(0).towards(1)).containsExactly(LinkType.SAME_CPU, LinkType.NVLINK_2);
    assertThat(links.get(2).towards(0)).isEmpty();
    assertThat(PairScoring.scores(links).score("GPU-b", "GPU-a")).isEqualTo(220);
  }

  @Test
  void unknownLinkNameIsAnErrorNamingTheGpuAndPeer(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("gpus.yaml");
    Files.writeString(
        f,
        """
        gpus:
          - uuid: GPU-a
            index: 0
            memoryMiB: 100
            links:
              1: [Telepathy]
        """);
    assertThatThrownBy(new FileDeviceSource(f)::links)
        .isInstanceOf(DeviceSourceException.class)
        .hasMessageContaining("gpus[0].links.1")
        .hasMessageContaining("unknown link type \"Telepathy\"");
  }

  @Test
  void readsMigProfiles() {
    var gpus =
        FileDeviceSource.parse(
            "gpus.yaml",
            """
            gpus:
              - uuid: GPU-a
                index: 0
                memoryMiB: 40960
                migProfiles:
                  - name: 1g.5gb
                    memoryMiB: 4864
                    cores: 14
                    sliceCount: 1
                    instanceCount: 7
                    placements: [{start: 0, size: 1}, {start: 6, size: 1}]
            """);
    assertThat(gpus.get(0).migProfiles())
        .containsExactly(
            new MigProfile(
                "1g.5gb", 4864, 14, 1, 7, List.of(new MigPlacement(0, 1), new MigPlacement(6, 1))));
  }

  @Test
  void aMigProfileWithoutPlacementsIsAnErrorNamingIt() {
    assertThatThrownBy(
            () ->
                FileDeviceSource.parse(
                    "gpus.yaml",
                    """
                    gpus:
                      - uuid: GPU-a
                        index: 0
                        memoryMiB: 40960
                        migProfiles:
                          - {name: 1g.5gb, memoryMiB: 4864, cores: 14, sliceCount: 1,
                             instanceCount: 7}
                    """))
        .isInstanceOf(DeviceSourceException.class)
        .hasMessageContaining("gpus[0].migProfiles[0]")
        .hasMessageContaining("placements");
  }
}
