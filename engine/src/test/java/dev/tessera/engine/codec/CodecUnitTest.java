package dev.tessera.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.model.GpuDevice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Behaviour not pinned by the HAMi vectors: formats from the spec text and strictness rules. */
class CodecUnitTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-08-21T02:00:00Z"), ZoneId.of("Asia/Shanghai"));

  @Test
  void registerJsonIsByteExactWithSpecExample() {
    var a = GpuDevice.of("GPU-aaa", 0, "NVIDIA-Tesla T4", 15360, 100, 10, 0);
    var b = GpuDevice.of("GPU-bbb", 1, "NVIDIA-Tesla T4", 15360, 100, 10, 1);
    assertThat(NodeRegisterCodec.encode(List.of(a, b)))
        .isEqualTo(
            "[{\"id\":\"GPU-aaa\",\"count\":10,\"devmem\":15360,\"devcore\":100,"
                + "\"type\":\"NVIDIA-Tesla T4\",\"mode\":\"hami-core\",\"health\":true},"
                + "{\"id\":\"GPU-bbb\",\"index\":1,\"count\":10,\"devmem\":15360,\"devcore\":100,"
                + "\"type\":\"NVIDIA-Tesla T4\",\"numa\":1,\"mode\":\"hami-core\",\"health\":true}]");
  }

  @Test
  void registerJsonRejectsWrongTypesTrailingGarbageAndOverflow() {
    for (String bad :
        List.of(
            "[{\"id\":\"a\",\"count\":\"10\"}]",
            "[{\"id\":\"a\",\"count\":1.5}]",
            "[{\"id\":\"a\",\"index\":-1}]",
            "[{\"id\":\"a\",\"devmem\":2147483648}]",
            "[{\"id\":\"a\"}] x",
            "{\"id\":\"a\"}",
            "[1]",
            "[null]")) {
      assertThatThrownBy(() -> NodeRegisterCodec.decode(bad))
          .as(bad)
          .isInstanceOf(AnnotationDecodeException.class)
          .hasMessageContaining(Annotations.NODE_REGISTER);
    }
  }

  @Test
  void nodeDevicesRejectsNullAsNoGpu() {
    assertThatThrownBy(
            () -> NodeRegisterCodec.nodeDevices(Map.of(Annotations.NODE_REGISTER, "null")))
        .isInstanceOfSatisfying(
            AnnotationDecodeException.class,
            e -> assertThat(e.hamiText()).isEqualTo("no gpu found on node"));
  }

  @Test
  void legacyRangeErrorsUseGoText() {
    assertThatThrownBy(() -> LegacyNodeRegisterCodec.decode("g,2147483648,1,1,T,0,true:"))
        .isInstanceOfSatisfying(
            AnnotationDecodeException.class,
            e ->
                assertThat(e.hamiText())
                    .isEqualTo(
                        "invalid count field: strconv.ParseInt: parsing \"2147483648\": value out of range"));
  }

  @Test
  void goDurationFormatsLikeGo() {
    assertThat(GoDuration.format(Duration.ofMinutes(5))).isEqualTo("5m0s");
    assertThat(GoDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m0s");
    assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDuration.format(Duration.ofMillis(100))).isEqualTo("100ms");
    assertThat(GoDuration.format(Duration.ofNanos(1500))).isEqualTo("1.5\u00b5s");
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDuration.format(Duration.ofSeconds(-61))).isEqualTo("-1m1s");
    assertThat(GoDuration.parse("d", "1h2m3.5s")).isEqualTo(Duration.parse("PT1H2M3.5S"));
    assertThatThrownBy(() -> GoDuration.parse("d", "5"))
        .isInstanceOf(AnnotationDecodeException.class);
    assertThatThrownBy(() -> GoDuration.parse("d", ""))
        .isInstanceOf(AnnotationDecodeException.class);
  }

  @Test
  void bindPhaseParsesExactly() {
    assertThat(BindPhase.parse("allocating")).isEqualTo(BindPhase.ALLOCATING);
    assertThat(BindPhase.parse("success")).isEqualTo(BindPhase.SUCCESS);
    assertThat(BindPhase.parse("failed")).isEqualTo(BindPhase.FAILED);
    assertThatThrownBy(() -> BindPhase.parse("Success"))
        .isInstanceOf(AnnotationDecodeException.class)
        .hasMessageContaining(Annotations.BIND_PHASE);
  }

  @Test
  void unixTimeIsWholeSeconds() {
    assertThat(UnixTime.format(Instant.parse("2026-08-21T02:00:00.900Z"))).isEqualTo("1787277600");
    assertThat(UnixTime.parse(Annotations.VGPU_TIME, "1787277600"))
        .isEqualTo(Instant.parse("2026-08-21T02:00:00Z"));
  }

  private static NodeLock.Decision decide(String current, boolean holderExists) {
    return NodeLock.decide(
        "n1",
        Optional.ofNullable(current),
        h -> holderExists,
        CLOCK,
        NodeLock.DEFAULT_TIMEOUT,
        new PodRef("ns", "me"));
  }

  @Test
  void lockDecisions() {
    assertThat(decide(null, true))
        .isEqualTo(new NodeLock.Decision.Acquire("2026-08-21T10:00:00+08:00,ns,me"));
    // 5m1s old: strictly older than the timeout
    assertThat(decide("2026-08-21T09:54:59+08:00,ns,other", true))
        .isInstanceOf(NodeLock.Decision.TakeOverExpired.class);
    // exactly 5m old is still fresh
    assertThat(decide("2026-08-21T01:55:00Z,ns,other", true))
        .isInstanceOf(NodeLock.Decision.Contention.class);
    assertThat(decide("2026-08-21T10:00:00+08:00", true))
        .isInstanceOf(NodeLock.Decision.Contention.class);
    assertThat(decide("2026-08-21T10:00:00+08:00,a,b,c", true))
        .isInstanceOfSatisfying(
            NodeLock.Decision.Unparseable.class,
            u ->
                assertThat(u.error().hamiText())
                    .isEqualTo("lock 2026-08-21T10:00:00+08:00,a,b,c format error"));
    assertThat(decide("2026-08-21T10:00:00+08:00,ns,other", false))
        .isInstanceOfSatisfying(
            NodeLock.Decision.TakeOverOrphaned.class,
            t -> assertThat(t.valueToWrite()).contains("2026-08-21T10:00:00+08:00,ns,me"));
  }

  @Test
  void lockReleaseOnlyByItsHolder() {
    var me = new PodRef("ns", "me");
    assertThat(NodeLock.releasable("2026-08-21T10:00:00+08:00,ns,me", "", me)).isTrue();
    assertThat(NodeLock.releasable("2026-08-21T10:00:00+08:00,ns,other", "", me)).isFalse();
    assertThat(NodeLock.releasable("2026-08-21T10:00:00Z", "2026-08-21T10:00:00Z", me)).isTrue();
    assertThat(NodeLock.releasable("2026-08-21T10:00:01Z", "2026-08-21T10:00:00Z", me)).isFalse();
  }

  @Test
  void lockTimeoutFromEnv() {
    assertThat(NodeLock.timeoutFromEnv(Optional.empty(), NodeLock.DEFAULT_TIMEOUT))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(NodeLock.timeoutFromEnv(Optional.of("90s"), NodeLock.DEFAULT_TIMEOUT))
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void migAllocationsValidation() {
    for (String bad :
        List.of(
            "[{\"containerIndex\":-1,\"deviceIndex\":0,\"gpuUUID\":\"g\",\"profile\":\"1g\",\"placement\":{\"start\":0,\"size\":1}}]",
            "[{\"containerIndex\":0,\"deviceIndex\":0,\"gpuUUID\":\"\",\"profile\":\"1g\",\"placement\":{\"start\":0,\"size\":1}}]",
            "[{\"containerIndex\":0,\"deviceIndex\":0,\"gpuUUID\":\"g\",\"profile\":\"1g\",\"placement\":{\"start\":0,\"size\":0}}]",
            "[{\"containerIndex\":0,\"deviceIndex\":0,\"gpuUUID\":\"g\",\"profile\":\"1g\"}]",
            "[{\"containerIndex\":0,\"deviceIndex\":0,\"gpuUUID\":\"g\",\"profile\":\"1g\",\"placement\":{\"start\":0,\"size\":1},\"gpuInstanceID\":1,\"computeInstanceID\":1}]")) {
      assertThatThrownBy(() -> MigAllocationsCodec.decode(bad))
          .as(bad)
          .isInstanceOf(AnnotationDecodeException.class);
    }
  }
}
