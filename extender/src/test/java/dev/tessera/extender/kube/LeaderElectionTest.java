package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.extender.state.BindException;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.KubePod;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {
  private static final LeaseLeaderElector.Timing FAST =
      new LeaseLeaderElector.Timing(
          Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(100));

  private FakeApiServer server;
  private LeaseLeaderElector a;
  private LeaseLeaderElector b;

  @BeforeEach
  void start() {
    server = FakeApiServer.start();
    a = elector("replica-a");
    b = elector("replica-b");
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    server.close();
  }

  private LeaseLeaderElector elector(String id) {
    return new LeaseLeaderElector(
        server.client(Duration.ofSeconds(10)),
        "kube-system",
        "tessera-extender",
        id,
        FAST,
        Clock.systemUTC());
  }

  private long leaseRequests() {
    return server.requests().stream().filter(r -> r.path().contains("/leases")).count();
  }

  private String holder() {
    return server
        .get("coordination.k8s.io/v1/leases", "kube-system", "tessera-extender")
        .map(l -> l.path("spec").path("holderIdentity").asText(""))
        .orElse("");
  }

  @Test
  void exactlyOneLeaderAndOnlyItBinds() throws Exception {
    a.start();
    b.start();
    await(() -> a.isLeader() || b.isLeader());
    // Several renewal rounds: never two leaders.
    for (int i = 0; i < 20; i++) {
      assertThat(a.isLeader() && b.isLeader()).isFalse();
      Thread.sleep(50);
    }
    LeaseLeaderElector leader = a.isLeader() ? a : b;
    LeaseLeaderElector standby = leader == a ? b : a;
    assertThat(holder()).isEqualTo(leader.identity());

    server.create("v1/pods", KubeFixtures.pod("ns", "p", Map.of()));
    KubePod pod = KubePod.fromJson(server.get("v1/pods", "ns", "p").orElseThrow());
    var api = new ApiBinder(server.client());
    var standbyBinder = new LeaderOnlyBinder(api, standby::isLeader, standby.identity());
    var leaderBinder = new LeaderOnlyBinder(api, leader::isLeader, leader.identity());
    assertThatThrownBy(() -> standbyBinder.bind(pod, "n1"))
        .isInstanceOf(BindException.class)
        .hasMessage(
            "pod ns/p: replica "
                + standby.identity()
                + " is not the leader; only the leader binds");
    leaderBinder.bind(pod, "n1");
    assertThat(
            server.get("v1/pods", "ns", "p").orElseThrow().path("spec").path("nodeName").asText())
        .isEqualTo("n1");
  }

  @Test
  void theStandbyTakesOverWhenTheLeaderStops() throws Exception {
    a.start();
    await(a::isLeader);
    b.start();
    Thread.sleep(300);
    assertThat(b.isLeader()).isFalse();

    a.close();
    await(b::isLeader);
    assertThat(a.isLeader()).isFalse();
    assertThat(holder()).isEqualTo("replica-b");
    assertThat(
            server
                .get("coordination.k8s.io/v1/leases", "kube-system", "tessera-extender")
                .orElseThrow()
                .path("spec")
                .path("leaseTransitions")
                .asInt())
        .isZero(); // a released the lease, so b acquired a free one
  }

  @Test
  void aLeaseHeldByACrashedReplicaIsTakenAfterItExpires() throws Exception {
    server.create(
        "coordination.k8s.io/v1/leases",
        "{\"metadata\":{\"name\":\"tessera-extender\",\"namespace\":\"kube-system\"},"
            + "\"spec\":{\"holderIdentity\":\"crashed\",\"leaseDurationSeconds\":1,"
            + "\"renewTime\":\"2026-01-01T00:00:00.000000Z\",\"leaseTransitions\":3}}");
    b.start();
    await(b::isLeader);
    assertThat(holder()).isEqualTo("replica-b");
    assertThat(
            server
                .get("coordination.k8s.io/v1/leases", "kube-system", "tessera-extender")
                .orElseThrow()
                .path("spec")
                .path("leaseTransitions")
                .asInt())
        .isEqualTo(4);
  }

  @Test
  void aLeaderWhoseRenewalHangsStopsLeadingAtTheRenewDeadlineAndDoesNotStealTheLeaseBack()
      throws Exception {
    var clock = new KubeFixtures.MutableClock(java.time.Instant.parse("2026-11-23T12:00:00Z"));
    try (var hung =
        new LeaseLeaderElector(
            server.client(Duration.ofMillis(300)),
            "kube-system",
            "tessera-extender",
            "replica-h",
            FAST,
            clock)) {
      hung.start();
      await(hung::isLeader);

      // The API server stops answering: every renewal hangs until the client's timeout.
      server.hang(".*", ".*/leases.*");
      long before = leaseRequests();
      clock.advance(Duration.ofMillis(1999));
      assertThat(hung.isLeader()).isTrue(); // still within the 2 s renew deadline
      clock.advance(Duration.ofMillis(1));
      // No round has completed, yet leadership is over: the deadline is checked when asked.
      assertThat(hung.isLeader()).isFalse();

      // Meanwhile the lease expired for everyone else and another replica took it.
      server.mergePatch(
          "coordination.k8s.io/v1/leases",
          "kube-system",
          "tessera-extender",
          "{\"spec\":{\"holderIdentity\":\"replica-b\",\"renewTime\":"
              + "\"2026-11-23T12:00:04.000000Z\"}}");
      // The hung calls time out on the client and the loop keeps trying instead of blocking.
      await(() -> leaseRequests() >= before + 2);
      assertThat(hung.isLeader()).isFalse();

      server.resume();
      long resumedAt = leaseRequests();
      await(() -> leaseRequests() >= resumedAt + 3);
      assertThat(hung.isLeader()).isFalse();
      assertThat(holder()).isEqualTo("replica-b");
    }
  }
}
