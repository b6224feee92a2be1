package dev.tessera.deviceplugin.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

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
}
