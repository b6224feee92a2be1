package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.extender.kube.LiveCluster;
import dev.tessera.extender.kube.SchedulerRoleLabels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code tessera extender}'s HA flags and the pod's environment become leadership settings. */
class ExtenderLeaderFlagsTest {
  private static final Map<String, String> POD_ENV =
      Map.of(
          "POD_NAME",
          "hami-scheduler-7d9f-x2k",
          "POD_NAMESPACE",
          "gpu-system",
          "HOSTNAME",
          "hami-scheduler-7d9f-x2k");

  private final StringWriter err = new StringWriter();

  private LiveCluster.Settings settings(Map<String, String> env, String... args) {
    var command = new ExtenderCommand();
    var cli = new CommandLine(command);
    cli.setErr(new PrintWriter(err, true));
    cli.parseArgs(args);
    command.env = env;
    return command.liveSettings(DeviceConfig.chartDefaults());
  }

  @Test
  void withoutLeaderElectThisReplicaAlwaysLeads() {
    var s = settings(POD_ENV);
    assertThat(s.leadership()).isEqualTo(LiveCluster.Leadership.ALWAYS);
    assertThat(s.roleLabels()).isEmpty();
    assertThat(s.callTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void leaderElectFollowsKubeSchedulersLeaseInThePodsNamespaceAndLabelsTheSchedulerPods() {
    var s = settings(POD_ENV, "--leader-elect", "--kube-timeout", "3s");
    assertThat(s.leadership())
        .isEqualTo(
            new LiveCluster.FollowScheduler(
                "gpu-system", "hami-scheduler", "hami-scheduler-7d9f-x2k"));
    assertThat(s.roleLabels())
        .contains(
            new SchedulerRoleLabels.Target(
                "gpu-system",
                "app.kubernetes.io/component=hami-scheduler",
                "hami-scheduler-7d9f-x2k"));
    assertThat(s.callTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void hamisFlagNamesChooseTheLeaseAndTheSelectorIsConfigurable() {
    var s =
        settings(
            POD_ENV,
            "--leader-elect",
            "--leader-elect-resource-name=tessera-scheduler",
            "--leader-elect-resource-namespace=kube-system",
            "--identity=node-a",
            "--scheduler-pod-selector=app=tessera,tier=scheduler");
    assertThat(s.leadership())
        .isEqualTo(new LiveCluster.FollowScheduler("kube-system", "tessera-scheduler", "node-a"));
    assertThat(s.roleLabels().orElseThrow().selector()).isEqualTo("app=tessera,tier=scheduler");
  }

  @Test
  void ownLeaseElectsOverTheExtendersLeaseAsThePod() {
    var s = settings(POD_ENV, "--leader-elect", "--leader-elect-mode", "own-lease");
    var e = (LiveCluster.Election) s.leadership();
    assertThat(e.namespace()).isEqualTo("kube-system");
    assertThat(e.name()).isEqualTo("tessera-extender");
    assertThat(e.identity()).isEqualTo("hami-scheduler-7d9f-x2k");
    assertThat(s.roleLabels()).isPresent();
  }

  @Test
  void withoutThePodsNameAndNamespaceNothingIsLabelledAndTheLogSaysWhy() {
    var s = settings(Map.of("HOSTNAME", "sched-0"), "--leader-elect");
    assertThat(s.leadership())
        .isEqualTo(new LiveCluster.FollowScheduler("kube-system", "hami-scheduler", "sched-0"));
    assertThat(s.roleLabels()).isEmpty();
    assertThat(err.toString()).contains("set POD_NAME and POD_NAMESPACE");

    var off = settings(POD_ENV, "--leader-elect", "--scheduler-pod-selector=");
    assertThat(off.roleLabels()).isEqualTo(Optional.empty());
  }

  @Test
  void mistakesAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> settings(POD_ENV, "--leader-elect", "--leader-elect-mode", "raft"))
        .hasMessage("--leader-elect-mode raft: expected follow-scheduler or own-lease");
    assertThatThrownBy(
            () ->
                settings(
                    POD_ENV,
                    "--leader-elect",
                    "--leader-elect-mode=own-lease",
                    "--leader-elect-lease=gpu-system/hami-scheduler"))
        .hasMessageStartingWith(
            "--leader-elect-lease gpu-system/hami-scheduler is kube-scheduler's Lease");
    assertThatThrownBy(() -> settings(POD_ENV, "--kube-timeout", "0s"))
        .hasMessageStartingWith("--kube-timeout 0s: must be positive");
    assertThatThrownBy(
            () ->
                settings(
                    POD_ENV,
                    "--leader-elect",
                    "--leader-elect-mode=own-lease",
                    "--leader-elect-lease=nolease"))
        .hasMessage("--leader-elect-lease nolease: expected NAMESPACE/NAME");
  }
}
