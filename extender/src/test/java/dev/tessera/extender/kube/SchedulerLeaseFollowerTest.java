package dev.tessera.extender.kube;

import static dev.tessera.extender.kube.KubeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.extender.state.BindException;
import dev.tessera.extender.testing.FakeApiServer;
import dev.tessera.extender.wire.KubePod;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sidecar's leadership: kube-scheduler's Lease, written here as kube-scheduler writes it, is
 * followed through a real client-java informer; the extender never writes it.
 */
class SchedulerLeaseFollowerTest {
  private static final String LEASES = "coordination.k8s.io/v1/leases";
  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  private final KubeFixtures.MutableClock clock = new KubeFixtures.MutableClock(T0);
  private FakeApiServer server;
  private SchedulerLeaseFollower a;
  private SchedulerLeaseFollower b;

  @BeforeEach
  void start() {
    server = FakeApiServer.start();
    a = follower("sched-a");
    b = follower("sched-b");
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    server.close();
  }

  private SchedulerLeaseFollower follower(String hostname) {
    var f =
        new SchedulerLeaseFollower(
            server.client(), "kube-system", "hami-scheduler", hostname, clock);
    f.start();
    return f;
  }

  /** kube-scheduler's Lease: {@code <hostname>_<uuid>}, renewed at {@code renewed}, 15 s. */
  private void schedulerHolds(String holder, Instant renewed) {
    String spec =
        "{\"holderIdentity\":\""
            + holder
            + "\",\"leaseDurationSeconds\":15,\"renewTime\":\""
            + renewed
            + "\"}";
    if (server.get(LEASES, "kube-system", "hami-scheduler").isEmpty()) {
      server.create(
          LEASES,
          "{\"metadata\":{\"name\":\"hami-scheduler\",\"namespace\":\"kube-system\"},\"spec\":"
              + spec
              + "}");
    } else {
      server.mergePatch(LEASES, "kube-system", "hami-scheduler", "{\"spec\":" + spec + "}");
    }
  }

  @Test
  void leadsExactlyWhileItsOwnKubeSchedulerHoldsAnUnexpiredLease() throws Exception {
    assertThat(a.isLeader()).isFalse(); // no Lease yet
    schedulerHolds("sched-a_3f1c9a2e-8d7b-4c55-b1a0-0d5e0c2f4a11", T0);
    await(a::isLeader);
    assertThat(b.isLeader()).isFalse();

    // kube-scheduler stopped renewing: leadership ends when renewTime + 15 s passes.
    clock.advance(Duration.ofMillis(14_999));
    assertThat(a.isLeader()).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(a.isLeader()).isFalse();

    // The other pod's kube-scheduler took over.
    schedulerHolds("sched-b_77aa01c2-0000-4000-8000-000000000000", clock.instant());
    await(b::isLeader);
    assertThat(a.isLeader()).isFalse();

    // ... and only its extender binds; the other refuses with a reason kube-scheduler shows.
    server.create("v1/pods", KubeFixtures.pod("ns", "p", Map.of()));
    KubePod pod = KubePod.fromJson(server.get("v1/pods", "ns", "p").orElseThrow());
    var api = new ApiBinder(server.client(Duration.ofSeconds(10)));
    assertThatThrownBy(() -> new LeaderOnlyBinder(api, a, "sched-a").bind(pod, "n1"))
        .isInstanceOf(BindException.class)
        .hasMessage("pod ns/p: replica sched-a is not the leader; only the leader binds");
    new LeaderOnlyBinder(api, b, "sched-b").bind(pod, "n1");
    assertThat(
            server.get("v1/pods", "ns", "p").orElseThrow().path("spec").path("nodeName").asText())
        .isEqualTo("n1");

    // Followers only read the Lease.
    assertThat(server.requests())
        .filteredOn(r -> r.path().contains("/leases"))
        .allMatch(r -> r.method().equals("GET"));
  }

  @Test
  void theHostNameMustBeTheWholePrefixOfTheHolder() throws Exception {
    try (var one = follower("sched-1")) {
      schedulerHolds("sched-10_3f1c9a2e-8d7b-4c55-b1a0-0d5e0c2f4a11", T0);
      try (var ten = follower("sched-10")) {
        await(ten::isLeader);
        assertThat(one.isLeader()).isFalse();
      }
    }
  }

  @Test
  void anotherLeaseInTheNamespaceIsIgnored() throws Exception {
    server.create(
        LEASES,
        "{\"metadata\":{\"name\":\"kube-scheduler\",\"namespace\":\"kube-system\"},\"spec\":"
            + "{\"holderIdentity\":\"sched-a_x\",\"leaseDurationSeconds\":15,\"renewTime\":\""
            + T0
            + "\"}}");
    schedulerHolds("sched-b_y", T0);
    await(b::isLeader);
    assertThat(a.isLeader()).isFalse();
  }
}
