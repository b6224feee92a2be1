package dev.tessera.deviceplugin.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.config.DeviceConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicePluginDaemonTest {
  @TempDir Path dir;

  private DaemonOptions options(String node, Path config, Optional<String> mig) {
    return new DaemonOptions(
        node,
        "nvml",
        Optional.ofNullable(config),
        dir.resolve("config.json"),
        dir.resolve("device-plugins"),
        "nvidia.com/gpu",
        "/usr/local",
        mig,
        false,
        false);
  }

  private Path deviceConfig(String body) throws IOException {
    return Files.writeString(dir.resolve("device-config.yaml"), "nvidia:\n" + body);
  }

  @Test
  void hamiConfigKeysReachTheServerAndTheAllocator() throws IOException {
    Path config =
        deviceConfig(
            """
              deviceSplitCount: 5
              deviceMemoryScaling: 1.5
              deviceCoreScaling: 0.5
              libCudaLogLevel: 3
              disableCoreLimit: true
              migStrategy: none
            """);
    var r = DevicePluginDaemon.resolve(options("n1", config, Optional.empty()));

    assertThat(r.plugin().deviceSplitCount()).isEqualTo(5);
    assertThat(r.plugin().pluginDir()).isEqualTo(dir.resolve("device-plugins"));
    assertThat(r.settings().deviceCoreScaling()).isEqualTo(0.5);
    assertThat(r.plugin().allocator().deviceMemoryScaling()).isEqualTo(1.5);
    assertThat(r.plugin().allocator().disableCoreLimit()).isTrue();
    assertThat(r.plugin().allocator().libCudaLogLevel()).isEqualTo("3");
    assertThat(r.plugin().allocator().operatingMode()).isEqualTo("hami-core");
  }

  @Test
  void withoutADeviceConfigTheChartDefaultsApply() {
    var r = DevicePluginDaemon.resolve(options("n1", null, Optional.empty()));
    assertThat(r.plugin().deviceSplitCount()).isEqualTo(10);
    assertThat(r.plugin().allocator().libCudaLogLevel()).isEqualTo("1");
  }

  @Test
  void theNodeEntryOfConfigJsonOverridesTheDeviceConfig() throws IOException {
    Files.writeString(
        dir.resolve("config.json"),
        """
        {"nodeconfig":[{"name":"n1","devicesplitcount":7,"operatingmode":"mig",
                        "enablegetpreferredallocation":true}]}
        """);
    var r = DevicePluginDaemon.resolve(options("n1", null, Optional.empty()));
    assertThat(r.plugin().deviceSplitCount()).isEqualTo(7);
    assertThat(r.settings().operatingMode()).isEqualTo("mig");
    assertThat(r.plugin().allocator().enableGetPreferredAllocation()).isTrue();

    var other = DevicePluginDaemon.resolve(options("n2", null, Optional.empty()));
    assertThat(other.plugin().deviceSplitCount()).isEqualTo(10);
  }

  @Test
  void staticMigStrategiesAreRejectedNamingTheirSource() throws IOException {
    Path config =
        deviceConfig(
            "  deviceSplitCount: 10\n  deviceMemoryScaling: 1\n"
                + "  deviceCoreScaling: 1\n  migStrategy: mixed\n");
    assertThatThrownBy(() -> DevicePluginDaemon.resolve(options("n1", config, Optional.empty())))
        .isInstanceOf(DeviceConfigException.class)
        .hasMessageContaining("device-config.yaml")
        .hasMessageContaining("nvidia.migStrategy")
        .hasMessageContaining("\"mixed\" is not supported yet");
    assertThatThrownBy(
            () -> DevicePluginDaemon.resolve(options("n1", null, Optional.of("sometimes"))))
        .isInstanceOf(DaemonException.class)
        .hasMessageContaining("--mig-strategy")
        .hasMessageContaining("expected none, single or mixed");
  }

  @Test
  void aDeviceConfigWithoutSplitCountIsRejected() throws IOException {
    Path config = deviceConfig("  deviceMemoryScaling: 1\n  deviceCoreScaling: 1\n");
    assertThatThrownBy(() -> DevicePluginDaemon.resolve(options("n1", config, Optional.empty())))
        .isInstanceOf(DeviceConfigException.class)
        .hasMessageContaining("nvidia.deviceSplitCount")
        .hasMessageContaining("got 0");
  }

  @Test
  void theNodeNameIsRequired() {
    assertThatThrownBy(() -> DevicePluginDaemon.resolve(options(" ", null, Optional.empty())))
        .isInstanceOf(DaemonException.class)
        .hasMessageContaining("NODE_NAME");
  }

  @Test
  void deviceSourceSpecsAreNvmlOrAnExistingFile() throws IOException {
    DevicePluginDaemon.checkDeviceSource("nvml");
    Path gpus = Files.writeString(dir.resolve("gpus.yaml"), "gpus: []\n");
    DevicePluginDaemon.checkDeviceSource("file:" + gpus);
    assertThatThrownBy(() -> DevicePluginDaemon.checkDeviceSource("file:" + dir.resolve("x")))
        .isInstanceOf(DaemonException.class)
        .hasMessageContaining("no such file");
    assertThatThrownBy(() -> DevicePluginDaemon.checkDeviceSource("cuda"))
        .isInstanceOf(DaemonException.class)
        .hasMessageContaining("expected nvml or file:PATH");
  }
}
