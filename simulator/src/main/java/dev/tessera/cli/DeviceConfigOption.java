package dev.tessera.cli;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.config.DeviceConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --device-config FILE}, HAMi's device configuration (a picocli mixin). */
final class DeviceConfigOption {
  @Option(
      names = "--device-config",
      paramLabel = "FILE",
      description =
          "HAMi device-config.yaml or hami-scheduler-device ConfigMap (default: chart defaults).")
  Path deviceConfig;

  /** The configuration the option names, or the chart's defaults without it. */
  DeviceConfig load() {
    return load(deviceConfig);
  }

  /** {@code file}'s configuration, or the chart's defaults when {@code file} is null. */
  static DeviceConfig load(Path file) {
    return file == null ? DeviceConfig.chartDefaults() : DeviceConfigLoader.load(file);
  }
}
