package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.extender.state.BindException;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.KubePod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerRoleLabelsTest {
  private static final String SELECTOR = SchedulerRoleLabels.DEFAULT_SELECTOR;
  private FakeApiServer server;

  @BeforeEach
  void start() {
    server = FakeApiServer.start();
    for (String name : new String[] {"sched-a", "sched-b"}) {
      server.create(
          "v1/pods",
          "{\"metadata\":{\"name\":\""
              + name
              + "\",\"namespace\":\"kube-system\",\"labels\":"
              + "{\"app.kubernetes.io/component\":\"hami-scheduler\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
    }
    server.create(
        "v1/pods",
        "{\"metadata\":{\"name\":\"coredns\",\"namespace\":\"kube-system\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String role(String pod) {
    return server
        .get("v1/pods", "kube-system", pod)
        .orElseThrow()
        .path("metadata")
        .path("labels")
        .path(SchedulerRoleLabels.ROLE_LABEL)
        .asText("");
  }

  private long writes() {
    return server.requests().stream().filter(r -> !r.method().equals("GET")).count();
  }

  private SchedulerRoleLabels labels(String self, AtomicBoolean leading) {
    return new SchedulerRoleLabels(
        server.client(Duration.ofSeconds(10)),
        new SchedulerRoleLabels.Target("kube-system", SELECTOR, self),
        leading::get);
  }

  @Test
  void theLeaderLabelsItselfLeaderAndTheOtherSchedulerPodsFollower() {
    var aLeads = new AtomicBoolean(false);
    var bLeads = new AtomicBoolean(true);
    var a = labels("sched-a", aLeads);
    var b = labels("sched-b", bLeads);

    a.round(); // a follower writes nothing
    assertThat(writes()).isZero();

    b.round();
    assertThat(role("sched-b")).isEqualTo("leader");
    assertThat(role("sched-a")).isEqualTo("follower");
    assertThat(role("coredns")).isEmpty();
    long labelled = writes();
    b.round(); // already right: nothing rewritten
    assertThat(writes()).isEqualTo(labelled);

    // Leadership moves: the new leader relabels both.
    bLeads.set(false);
    aLeads.set(true);
    a.round();
    assertThat(role("sched-a")).isEqualTo("leader");
    assertThat(role("sched-b")).isEqualTo("follower");
  }

  @Test
  void aSidecarFollowingItsKubeSchedulerLeadsHandshakesLabelsAndBindsOnlyWhileItHoldsTheLease()
      throws Exception {
    server.create("v1/pods", KubeFixtures.pod("ns", "p", Map.of()));
    server.create(
        "coordination.k8s.io/v1/leases",
        "{\"metadata\":{\"name\":\"hami-scheduler\",\"namespace\":\"kube-system\"},\"spec\":"
            + "{\"holderIdentity\":\"sched-a_0b7e\",\"leaseDurationSeconds\":15,\"renewTime\":\""
            + Instant.now()
            + "\"}}");
    var settings =
        new LiveCluster.Settings(
            Optional.empty(),
            "nvidia.com/gpu",
            new LiveCluster.FollowScheduler("kube-system", "hami-scheduler", "sched-a"),
            Optional.of(new SchedulerRoleLabels.Target("kube-system", SELECTOR, "sched-a")),
            AllocationGate.Settings.DEFAULTS,
            Duration.ofSeconds(10));
    try (LiveCluster live =
        LiveCluster.connect(
            new LiveCluster.Clients(server.client(), server.client(Duration.ofSeconds(10))),
            settings,
            Clock.systemUTC())) {
      live.awaitReady(Duration.ofSeconds(30));
      await(live::leading);
      await(() -> role("sched-a").equals("leader") && role("sched-b").equals("follower"));

      // sched-b's kube-scheduler takes the Lease: this sidecar stops binding at once.
      server.mergePatch(
          "coordination.k8s.io/v1/leases",
          "kube-system",
          "hami-scheduler",
          "{\"spec\":{\"holderIdentity\":\"sched-b_41c2\",\"renewTime\":\""
              + Instant.now()
              + "\"}}");
      await(() -> !live.leading());
      KubePod pod = KubePod.fromJson(server.get("v1/pods", "ns", "p").orElseThrow());
      assertThatThrownBy(() -> live.binder().bind(pod, "n"))
          .isInstanceOf(BindException.class)
          .hasMessageContaining("is not the leader");
      assertThat(
              server.get("v1/pods", "ns", "p").orElseThrow().path("spec").path("nodeName").asText())
          .isEmpty();
      // The extender never wrote kube-scheduler's Lease.
      assertThat(server.requests())
          .filteredOn(r -> r.path().contains("/leases"))
          .allMatch(r -> r.method().equals("GET"));
    }
  }
}
