package dev.tessera.extender.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.Node;
import dev.tessera.extender.Manifests;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.core.Extender;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.KubePod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bind's booking is forgotten when writing fails, or when the pod never shows up bound. */
class ReservationsTest {
  /** A clock tests move by hand. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-11-23T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final ManualClock clock = new ManualClock();
  private final InMemoryCluster cluster =
      InMemoryCluster.of(
          List.of(
              Node.of("n1", List.of(GpuDevice.of("GPU-1", 0, "NVIDIA A100", 40_000, 100, 10, 0)))),
          List.of(),
          List.of());

  private Extender extender(Binder binder, Reservations reservations) {
    return new Extender(
        cluster,
        binder,
        new EngineRanking(Engine.Options.DEFAULTS),
        DeviceConfig.chartDefaults(),
        Engine.Options.DEFAULTS,
        reservations,
        new ExtenderMetrics(cluster::snapshot),
        clock);
  }

  private void arrive(Extender e) {
    e.filter(new ExtenderArgs(Manifests.pod("default", "p", 8_000, 30), null, List.of("n1")));
  }

  @Test
  void aFailedBindingForgetsTheBookingAndReportsTheError() {
    Binder failing =
        new Binder() {
          @Override
          public void annotate(KubePod pod, Map<String, String> a, Map<String, String> l) {
            cluster.annotate(pod, a, l);
          }

          @Override
          public void bind(KubePod pod, String node) {
            throw new BindException("binding rejected: node n1 is cordoned");
          }
        };
    var reservations = new Reservations(cluster, clock, Duration.ofSeconds(30));
    var e = extender(failing, reservations);
    arrive(e);

    var r = e.bind(new ExtenderBindingArgs("p", "default", "", "n1"));

    assertThat(r.error()).isEqualTo("binding rejected: node n1 is cordoned");
    assertThat(cluster.snapshot().nodeOf("default/p")).isEmpty();
    assertThat(cluster.snapshot().node("n1").orElseThrow().usage().get(0).usedMemMiB()).isZero();
    assertThat(reservations.pending()).isZero();
  }

  @Test
  void aPodThatNeverShowsUpBoundIsForgottenAfterTheTimeout() {
    Binder silent =
        new Binder() {
          @Override
          public void annotate(KubePod pod, Map<String, String> a, Map<String, String> l) {}

          @Override
          public void bind(KubePod pod, String node) {
            // the API accepted it, but the pod never appears bound (e.g. deleted and recreated)
          }
        };
    var reservations = new Reservations(cluster, clock, Duration.ofSeconds(30));
    var e = extender(silent, reservations);
    arrive(e);

    assertThat(e.bind(new ExtenderBindingArgs("p", "default", "", "n1")).ok()).isTrue();
    clock.advance(Duration.ofSeconds(29));
    int early = reservations.sweep();
    boolean heldBeforeDeadline = cluster.snapshot().nodeOf("default/p").isPresent();
    clock.advance(Duration.ofSeconds(2));
    int late = reservations.sweep();

    assertThat(early).isZero();
    assertThat(heldBeforeDeadline).isTrue();
    assertThat(late).isEqualTo(1);
    assertThat(cluster.snapshot().nodeOf("default/p")).isEmpty();
  }

  @Test
  void aPodSeenBoundIsConfirmedAndKept() {
    var reservations = new Reservations(cluster, clock, Duration.ofSeconds(30));
    var e = extender(cluster, reservations);
    arrive(e);

    assertThat(e.bind(new ExtenderBindingArgs("p", "default", "", "n1")).ok()).isTrue();
    reservations.sweep();
    clock.advance(Duration.ofMinutes(5));
    reservations.sweep();

    assertThat(reservations.pending()).isZero();
    assertThat(cluster.snapshot().nodeOf("default/p")).contains("n1");
  }

  @Test
  void aBindToANodeThatFilledUpMeanwhileIsRefusedWithTheReason() {
    var reservations = new Reservations(cluster, clock, Duration.ofSeconds(30));
    var e = extender(cluster, reservations);
    e.filter(new ExtenderArgs(Manifests.pod("default", "big", 40_000, 100), null, List.of("n1")));
    e.filter(
        new ExtenderArgs(Manifests.pod("default", "also-big", 40_000, 100), null, List.of("n1")));

    var first = e.bind(new ExtenderBindingArgs("big", "default", "", "n1"));
    var second = e.bind(new ExtenderBindingArgs("also-big", "default", "", "n1"));

    assertThat(first.ok()).isTrue();
    assertThat(second.error())
        .startsWith("node n1 can no longer take pod default/also-big: 1/1 CardInsufficientMemory");
  }

  @Test
  void aPodFilteredAgainIsNotBlockedByItsOwnEarlierBooking() {
    // The pod's annotations say it holds the whole GPU (an earlier attempt whose Binding failed).
    var pod =
        dev.tessera.extender.wire.KubePod.fromJson(Manifests.pod("default", "again", 40_000, 100))
            .withMetadata(
                Map.of(
                    dev.tessera.engine.codec.Annotations.VGPU_NODE,
                    "n1",
                    dev.tessera.engine.codec.Annotations.DEVICES_ALLOCATED,
                    "GPU-1,NVIDIA,40000,100:;"),
                Map.of());
    var booked =
        InMemoryCluster.of(
            cluster.snapshot().nodes().stream().map(s -> s.node()).toList(),
            List.of(),
            List.of(pod));
    var e =
        new Extender(
            booked,
            booked,
            new EngineRanking(Engine.Options.DEFAULTS),
            DeviceConfig.chartDefaults(),
            Engine.Options.DEFAULTS,
            new Reservations(booked, clock, Duration.ofSeconds(30)),
            new ExtenderMetrics(booked::snapshot),
            clock);

    var r =
        e.filter(
            new ExtenderArgs(Manifests.pod("default", "again", 40_000, 100), null, List.of("n1")));
    var bound = e.bind(new ExtenderBindingArgs("again", "default", "", "n1"));

    assertThat(r.nodeNames()).containsExactly("n1");
    assertThat(bound.ok()).as(bound.error()).isTrue();
    assertThat(booked.snapshot().node("n1").orElseThrow().usage().get(0).usedMemMiB())
        .isEqualTo(40_000); // booked once, not twice
  }

  @Test
  void prioritizeHoldsThePreferredNodeUntilTheBindSoTheNextPodSeesItTaken() {
    var reservations = new Reservations(cluster, clock, Duration.ofSeconds(30));
    var e = extender(cluster, reservations);
    var first = Manifests.pod("default", "first", 30_000, 60);
    var second = Manifests.pod("default", "second", 30_000, 60);

    e.filter(new ExtenderArgs(first, null, List.of("n1")));
    e.prioritize(new ExtenderArgs(first, null, List.of("n1")));
    // kube-scheduler binds asynchronously: the next pod is filtered before "first" is bound
    var secondFilter = e.filter(new ExtenderArgs(second, null, List.of("n1")));
    var firstBind = e.bind(new ExtenderBindingArgs("first", "default", "", "n1"));

    assertThat(secondFilter.nodeNames()).isEmpty();
    assertThat(secondFilter.failedNodes()).containsKey("n1");
    assertThat(firstBind.ok()).as(firstBind.error()).isTrue();
    assertThat(cluster.snapshot().node("n1").orElseThrow().usage().get(0).usedMemMiB())
        .isEqualTo(30_000); // the hold became the booking, not a second one
  }

  @Test
  void aHoldThatIsNeverBoundIsForgottenAfterItsTimeout() {
    var reservations = new Reservations(cluster, clock, Duration.ofMinutes(5));
    var e = extender(cluster, reservations);
    var pod = Manifests.pod("default", "held", 30_000, 60);
    e.filter(new ExtenderArgs(pod, null, List.of("n1")));
    e.prioritize(new ExtenderArgs(pod, null, List.of("n1")));
    boolean heldAtFirst = cluster.snapshot().nodeOf("default/held").isPresent();

    clock.advance(Duration.ofSeconds(11));
    reservations.sweep();

    assertThat(heldAtFirst).isTrue();
    assertThat(cluster.snapshot().nodeOf("default/held")).isEmpty();
  }

  /**
   * The cluster, with one hook run on the next snapshot update: before it ({@code before}) or after
   * it ({@code after}); a test uses it to run the sweeper or a bind at an exact point.
   */
  private static final class Interleaved implements ClusterState {
    private final InMemoryCluster cluster;
    private Runnable before;
    private Runnable after;

    Interleaved(InMemoryCluster cluster) {
      this.cluster = cluster;
    }

    @Override
    public dev.tessera.engine.snapshot.ClusterSnapshot snapshot() {
      return cluster.snapshot();
    }

    @Override
    public dev.tessera.engine.snapshot.ClusterSnapshot update(
        java.util.function.UnaryOperator<dev.tessera.engine.snapshot.ClusterSnapshot> change) {
      Runnable b = before;
      before = null;
      if (b != null) {
        b.run();
      }
      var out = cluster.update(change);
      Runnable a = after;
      after = null;
      if (a != null) {
        a.run();
      }
      return out;
    }

    @Override
    public java.util.Optional<KubePod> pod(String namespace, String name) {
      return cluster.pod(namespace, name);
    }

    @Override
    public void observe(KubePod pod) {
      cluster.observe(pod);
    }
  }

  /** Accepts the writes; the pod is never seen bound, so its reservation stays pending. */
  private static final Binder SILENT =
      new Binder() {
        @Override
        public void annotate(KubePod pod, Map<String, String> a, Map<String, String> l) {}

        @Override
        public void bind(KubePod pod, String node) {}
      };

  private Extender silentOn(ClusterState state, Reservations reservations) {
    return new Extender(
        state,
        SILENT,
        new EngineRanking(Engine.Options.DEFAULTS),
        DeviceConfig.chartDefaults(),
        Engine.Options.DEFAULTS,
        reservations,
        new ExtenderMetrics(state::snapshot),
        clock);
  }

  /** A pod prioritize held on n1 whose 10 s hold has expired by the time its bind arrives. */
  private Extender heldAndExpired(Interleaved state, Reservations reservations) {
    var e = silentOn(state, reservations);
    var pod = Manifests.pod("default", "late", 30_000, 60);
    e.filter(new ExtenderArgs(pod, null, List.of("n1")));
    e.prioritize(new ExtenderArgs(pod, null, List.of("n1")));
    assertThat(cluster.snapshot().nodeOf("default/late")).contains("n1");
    clock.advance(Duration.ofSeconds(11));
    return e;
  }

  @Test
  void aSweepRightAfterTheBindsUpdateKeepsTheFreshBooking() {
    var state = new Interleaved(cluster);
    var reservations = new Reservations(state, clock, Duration.ofSeconds(60));
    var e = heldAndExpired(state, reservations);
    int[] forgotten = {-1};
    state.after = () -> forgotten[0] = reservations.sweep();

    var r = e.bind(new ExtenderBindingArgs("late", "default", "", "n1"));

    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(forgotten[0]).isZero(); // the sweep saw the bind's reservation, not the old hold
    assertThat(cluster.snapshot().nodeOf("default/late")).contains("n1");
    assertThat(cluster.snapshot().node("n1").orElseThrow().usage().get(0).usedMemMiB())
        .isEqualTo(30_000);
    assertThat(reservations.pending()).isEqualTo(1);
  }

  @Test
  void aBindBetweenTheSweepsRemovalOfTheHoldAndItsForgetKeepsTheFreshBooking() {
    var state = new Interleaved(cluster);
    var reservations = new Reservations(state, clock, Duration.ofSeconds(60));
    var e = heldAndExpired(state, reservations);
    var bound = new dev.tessera.extender.wire.ExtenderBindingResult[1];
    // The sweep removes the expired hold, then (in its forget's update) the bind runs first.
    state.before = () -> bound[0] = e.bind(new ExtenderBindingArgs("late", "default", "", "n1"));

    int forgotten = reservations.sweep();

    assertThat(bound[0].ok()).as(bound[0].error()).isTrue();
    assertThat(forgotten).isEqualTo(1); // the hold's reservation
    assertThat(cluster.snapshot().nodeOf("default/late")).contains("n1");
    assertThat(cluster.snapshot().node("n1").orElseThrow().usage().get(0).usedMemMiB())
        .isEqualTo(30_000);
    assertThat(reservations.pending()).isEqualTo(1);
  }

  @Test
  void aHoldThatNoLongerFitsLeavesTheEarlierHoldsReservationInPlace() {
    var state = new Interleaved(cluster);
    var reservations = new Reservations(state, clock, Duration.ofSeconds(60));
    var e = silentOn(state, reservations);
    var pod = Manifests.pod("default", "held", 30_000, 60);
    e.filter(new ExtenderArgs(pod, null, List.of("n1")));
    e.prioritize(new ExtenderArgs(pod, null, List.of("n1")));
    // Another pod takes the rest of the GPU; prioritize again finds nothing better to hold.
    cluster.update(
        s ->
            s.assume(
                new dev.tessera.engine.model.Placement(
                    "default/other",
                    "",
                    "n1",
                    0,
                    List.of(
                        List.of(
                            dev.tessera.engine.model.ContainerDevice.of(
                                "GPU-1", "NVIDIA", 10_000, 40))))));
    e.prioritize(new ExtenderArgs(pod, null, List.of("n1")));

    assertThat(reservations.pending()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(11));
    assertThat(reservations.sweep()).isEqualTo(1); // the first hold is still swept in time
    assertThat(cluster.snapshot().nodeOf("default/held")).isEmpty();
  }
}
