package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The options the commands share (picocli mixins) still show in each command's help. */
class SharedOptionsTest {
  @ParameterizedTest
  @CsvSource({
    "explain, --cluster --device-config --node-policy --gpu-policy --policy --pod",
    "plan-gang, --cluster --device-config --gpu-policy --pod --replicas --time-limit-seconds",
    "defrag, --cluster --gpu-policy --max-moves --time-limit-seconds",
    "extender, --device-config --node-policy --gpu-policy --tls-cert --tls-key --policy",
    "webhook, --device-config --tls-cert --tls-key --dev-ca-out"
  })
  void everyOptionIsListedInTheHelp(String command, String options) {
    var out = new StringWriter();
    var cli = TesseraCli.newCommandLine();
    cli.setOut(new PrintWriter(out));

    int code = cli.execute(command, "--help");

    assertThat(code).isZero();
    for (String option : options.split(" ")) {
      assertThat(out.toString()).as("%s --help", command).contains(option + "=");
    }
  }

  @ParameterizedTest
  @CsvSource({"explain", "plan-gang", "defrag"})
  void theClusterFileIsRequired(String command) {
    var err = new StringWriter();
    var cli = TesseraCli.newCommandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute(command);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--cluster");
  }
}
