package dev.tessera.engine.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeHealthTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-08-21T02:00:00Z"), ZoneId.of("Asia/Shanghai"));

  @Test
  void writesRequestingStampInLocalZoneWhenAbsent() {
    var r = Handshake.check(Optional.empty(), 0, CLOCK);
    assertThat(r)
        .isEqualTo(new Handshake.Result(true, true, Optional.of("Requesting_2026-08-21 10:00:00")));
  }

  @Test
  void stampExpiresAtExactlySixtySeconds() {
    assertThat(Handshake.check(Optional.of("Requesting_2026-08-21 09:59:01"), 0, CLOCK).healthy())
        .isTrue();
    assertThat(Handshake.check(Optional.of("Requesting_2026-08-21 09:59:00"), 0, CLOCK).healthy())
        .isFalse();
  }

  @Test
  void gpusDisappearingMakesNodeUnhealthyAndRemembersZero() {
    var t =
        NodeHealth.check(
            new NodeHealthMemory(4, "x"),
            0,
            Optional.of("Requesting_2026-08-21 10:00:00"),
            Optional.of("x"),
            CLOCK);
    assertThat(t.healthy()).isFalse();
    assertThat(t.deleteHandshake()).isTrue();
    assertThat(t.next()).isEqualTo(new NodeHealthMemory(0, "x"));
  }

  @Test
  void newCountIsRememberedAndTriggersUpdate() {
    var t = NodeHealth.check(NodeHealthMemory.NONE, 8, Optional.empty(), Optional.of("r"), CLOCK);
    assertThat(t.healthy()).isTrue();
    assertThat(t.needUpdate()).isTrue();
    assertThat(t.next().reportedGpus()).isEqualTo(8);
    var again =
        NodeHealth.check(
            t.next(), 8, Optional.of("Requesting_2026-08-21 10:00:00"), Optional.of("r"), CLOCK);
    assertThat(again.needUpdate()).isTrue(); // register string not yet remembered
    assertThat(again.next()).isEqualTo(new NodeHealthMemory(8, "r"));
    var third =
        NodeHealth.check(
            again.next(),
            8,
            Optional.of("Requesting_2026-08-21 10:00:00"),
            Optional.of("r"),
            CLOCK);
    assertThat(third.needUpdate()).isFalse();
  }
}
