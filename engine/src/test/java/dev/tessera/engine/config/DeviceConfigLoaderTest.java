package dev.tessera.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceConfigLoaderTest {

  /** hami-scheduler-device as the v2.10 chart renders it with default values (abridged). */
  private static final String CHART_CONFIGMAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: hami-scheduler-device
        namespace: kube-system
      data:
        device-config.yaml: |-
          nvidia:
            resourceCountName: nvidia.com/gpu
            resourceMemoryName: nvidia.com/gpumem
            resourceMemoryPercentageName: nvidia.com/gpumem-percentage
            resourceCoreName: nvidia.com/gpucores
            resourcePriorityName: nvidia.com/priority
            overwriteEnv: false
            defaultMemory: 0
            defaultCores: 0
            defaultGPUNum: 1
            preConfiguredDeviceMemory: 0
            memoryFactor: 1
            deviceSplitCount: 10
            deviceMemoryScaling: 1
            deviceCoreScaling: 1
            enableNumaTopology: false
            gpuCorePolicy: default
            libCudaLogLevel: 1
            runtimeClassName: ""
            migProfileAllowlist:
            - models: [ "A30" ]
              profiles: [ "1g.6gb", "2g.12gb", "4g.24gb" ]
          cambricon:
            resourceCountName: cambricon.com/vmlu
          vnpus:
            configs:
            - chipName: 910A
              memoryFactor: 1
      """;

  @Test
  void chartConfigMapLoadsToChartDefaults() {
    DeviceConfig c = DeviceConfigLoader.parse("hami-scheduler-device", CHART_CONFIGMAP);
    // migStrategy is a plugin flag in the chart, not part of the ConfigMap.
    assertThat(c.migStrategy()).isEmpty();
    assertThat(c)
        .usingRecursiveComparison()
        .ignoringFields("migStrategy")
        .isEqualTo(DeviceConfig.chartDefaults());
  }

  @Test
  void bareFileOverlaysBuiltinDefaults(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("device-config.yaml");
    Files.writeString(
        f,
        """
        nvidia:
          resourceCountName: hami.io/gpu
          resourceCoreName: hami.io/gpucores
          defaultMemory: 2048
          memoryFactor: 4
          deviceMemoryScaling: 1.5
          gpuCorePolicy: force
          runtimeClassName: nvidia
          overwriteEnv: true
          disableCoreLimit: true
          migStrategy: mixed
          someFutureKey: [1, 2]
        """);
    DeviceConfig c = DeviceConfigLoader.load(f);
    assertThat(c.resourceCountName()).isEqualTo("hami.io/gpu");
    assertThat(c.resourceCoreName()).isEqualTo("hami.io/gpucores");
    assertThat(c.resourceMemoryName()).as("absent key keeps the built-in empty name").isEmpty();
    assertThat(c.defaultMemory()).isEqualTo(2048);
    assertThat(c.memoryFactor()).isEqualTo(4);
    assertThat(c.effectiveMemoryFactor()).isEqualTo(4);
    assertThat(c.deviceMemoryScaling()).isEqualTo(1.5);
    assertThat(c.injectsCorePolicy()).isTrue();
    assertThat(c.runtimeClassName()).isEqualTo("nvidia");
    assertThat(c.overwriteEnv()).isTrue();
    assertThat(c.disableCoreLimit()).isTrue();
    assertThat(c.migStrategy()).isEqualTo("mixed");
    assertThat(c.defaultGPUNum()).isZero();
    assertThat(c.preConfiguredDeviceMemory()).isEqualTo(OptionalLong.empty());
  }

  @Test
  void builtinMemoryFactorZeroMeansOne() {
    DeviceConfig c = DeviceConfigLoader.parse("f.yaml", "nvidia:\n  resourceCountName: x\n");
    assertThat(c.memoryFactor()).isZero();
    assertThat(c.effectiveMemoryFactor()).isEqualTo(1);
    assertThat(c.injectsCorePolicy()).isFalse();
  }

  @Test
  void quotedNumberIsATypeErrorNamingFileFieldAndType() {
    assertThatThrownBy(
            () ->
                DeviceConfigLoader.parse(
                    "device-config.yaml", "nvidia:\n  defaultMemory: \"4G\"\n"))
        .isInstanceOf(DeviceConfigException.class)
        .hasMessage(
            "device-config.yaml: field nvidia.defaultMemory: expected a 32-bit integer, got string"
                + " \"4G\"")
        .satisfies(
            e -> assertThat(((DeviceConfigException) e).field()).isEqualTo("nvidia.defaultMemory"));
  }

  @Test
  void typeErrorsInsideConfigMapNameTheEmbeddedFile() {
    String cm =
        """
        kind: ConfigMap
        data:
          device-config.yaml: |
            nvidia:
              overwriteEnv: "yes"
        """;
    assertThatThrownBy(() -> DeviceConfigLoader.parse("cm.yaml", cm))
        .isInstanceOf(DeviceConfigException.class)
        .hasMessageContaining("cm.yaml (data.device-config.yaml)")
        .hasMessageContaining("field nvidia.overwriteEnv")
        .hasMessageContaining("expected a boolean");
  }

  @Test
  void otherTypeErrors() {
    assertThatThrownBy(() -> DeviceConfigLoader.parse("f", "nvidia:\n  resourceCountName: 1\n"))
        .hasMessageContaining("field nvidia.resourceCountName: expected a string, got number 1");
    assertThatThrownBy(() -> DeviceConfigLoader.parse("f", "nvidia:\n  deviceSplitCount: -1\n"))
        .hasMessageContaining("field nvidia.deviceSplitCount: expected a non-negative");
    assertThatThrownBy(() -> DeviceConfigLoader.parse("f", "nvidia:\n  memoryFactor: 1.5\n"))
        .hasMessageContaining("field nvidia.memoryFactor: expected a 32-bit integer");
    assertThatThrownBy(() -> DeviceConfigLoader.parse("f", "nvidia:\n  deviceCoreScaling: x\n"))
        .hasMessageContaining("field nvidia.deviceCoreScaling: expected a number");
    assertThatThrownBy(() -> DeviceConfigLoader.parse("f", "nvidia: [1]\n"))
        .hasMessageContaining("field nvidia: expected a mapping");
  }

  @Test
  void missingSectionOrBadYamlIsReported() {
    assertThatThrownBy(() -> DeviceConfigLoader.parse("f", "cambricon: {}\n"))
        .isInstanceOf(DeviceConfigException.class)
        .hasMessage("f: field nvidia: missing: no nvidia section");
    assertThatThrownBy(() -> DeviceConfigLoader.parse("f", "kind: ConfigMap\ndata: {}\n"))
        .hasMessageContaining("field data.device-config.yaml: missing");
    assertThatThrownBy(() -> DeviceConfigLoader.parse("f", "")).hasMessage("f: empty document");
    assertThatThrownBy(() -> DeviceConfigLoader.parse("f", "nvidia: [\n"))
        .isInstanceOf(DeviceConfigException.class)
        .hasMessageStartingWith("f: not valid YAML");
  }

  @Test
  void nullValuesKeepDefaults() {
    DeviceConfig c =
        DeviceConfigLoader.parse("f", "nvidia:\n  defaultGPUNum:\n  runtimeClassName: ~\n");
    assertThat(c).isEqualTo(DeviceConfig.builtinDefaults());
  }
}
