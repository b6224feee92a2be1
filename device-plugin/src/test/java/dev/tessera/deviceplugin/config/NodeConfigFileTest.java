package dev.tessera.deviceplugin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigFileTest {
  private static final DevicePluginSettings BASE = DevicePluginSettings.of(10, 1.0, 1.0, "");

  @Test
  void badJsonNamesTheFile() {
    assertThatThrownBy(() -> NodeConfigFile.parse("/config/config.json", "{\"nodeconfig\": ["))
        .isInstanceOf(NodeConfigException.class)
        .hasMessageStartingWith("/config/config.json")
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void wrongTypeNamesTheFileAndField() {
    assertThatThrownBy(
            () ->
                NodeConfigFile.parse(
                    "config.json",
                    "{\"nodeconfig\":[{\"name\":\"a\"},{\"name\":\"b\",\"devicesplitcount\":\"ten\"}]}"))
        .isInstanceOfSatisfying(
            NodeConfigException.class,
            e -> {
              assertThat(e.file()).isEqualTo("config.json");
              assertThat(e.field()).isEqualTo("nodeconfig[1].devicesplitcount");
            })
        .hasMessageContaining("expected a 32-bit integer");
    assertThatThrownBy(
            () ->
                NodeConfigFile.parse(
                    "config.json",
                    "{\"nodeconfig\":[{\"name\":\"a\",\"filterdevices\":{\"index\":[\"x\"]}}]}"))
        .hasMessageContaining("nodeconfig[0].filterdevices.index[0]");
  }

  @Test
  void nodeWithoutEntryRunsHamiCore() {
    var file =
        NodeConfigFile.parse("c", "{\"nodeconfig\":[{\"name\":\"other\",\"devicesplitcount\":3}]}");
    var eff = file.apply(BASE.withOperatingMode("mig"), "me");
    assertThat(eff.operatingMode()).isEqualTo("hami-core");
    assertThat(eff.deviceSplitCount()).isEqualTo(10);
  }

  @Test
  void entryOverridesOnlyItsNonNullFieldsAndKeysMatchCaseInsensitively() {
    var file =
        NodeConfigFile.parse(
            "c",
            "{\"NodeConfig\":[{\"Name\":\"me\",\"operatingMode\":\"mig\",\"devicememoryscaling\":null,"
                + "\"enableGetPreferredAllocation\":true,\"filterdevices\":{\"uuid\":[\"GPU-x\"],\"index\":[2]},"
                + "\"unknownfield\":1}]}");
    var eff = file.apply(BASE, "me");
    assertThat(eff.operatingMode()).isEqualTo("mig");
    assertThat(eff.deviceMemoryScaling()).isEqualTo(1.0);
    assertThat(eff.deviceSplitCount()).isEqualTo(10);
    assertThat(eff.enableGetPreferredAllocation()).isTrue();
    assertThat(eff.filterDevices()).isEqualTo(new FilterDevices(List.of("GPU-x"), List.of(2)));
    assertThat(eff.filterDevices().excludes("GPU-y", "2")).isTrue();
    assertThat(eff.filterDevices().excludes("GPU-x", "0")).isTrue();
    assertThat(eff.filterDevices().excludes("GPU-y", "02x")).isFalse();
  }

  @Test
  void missingFileIsEmpty(@TempDir Path dir) {
    assertThat(NodeConfigFile.load(dir.resolve("config.json"))).isEmpty();
  }
}
