package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The shutdown and device-plugin options of {@code tessera extender}. */
class ExtenderCommandOptionsTest {
  private static ExtenderCommand parse(String... args) {
    var command = new ExtenderCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void theDrainOutlastsTheLongestGatedBindUnlessGiven() {
    assertThat(parse().drainTimeout()).isEqualTo(Duration.ofSeconds(25));
    assertThat(parse("--allocation-wait", "40s").drainTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(parse("--drain-timeout", "3s").drainTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void theDevicePluginIsTesseraUnlessHamiIsNamed() {
    assertThat(parse().hamiPlugin()).isFalse();
    assertThat(parse("--device-plugin", "hami").hamiPlugin()).isTrue();
    assertThatThrownBy(() -> parse("--device-plugin", "nvidia").hamiPlugin())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--device-plugin nvidia: expected tessera or hami");
  }
}
