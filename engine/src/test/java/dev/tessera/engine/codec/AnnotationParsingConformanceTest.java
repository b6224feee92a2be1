package dev.tessera.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.VectorKinds;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class AnnotationParsingConformanceTest {
  // A non-UTC zone, because HAMi writes lock stamps in the writer's local zone.
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-08-21T02:00:00Z"), ZoneId.of("Asia/Shanghai"));

  @TestFactory
  Stream<DynamicTest> vectors() {
    return HamiVectors.tests(
        VectorKinds.CODEC,
        "annotation-parsing.json",
        Map.of(
            "pod_namespace_name",
            (in, ex, c) -> {
              JsonNode pod = in.get("pod");
              Optional<PodRef> ref =
                  pod == null || pod.isNull()
                      ? Optional.empty()
                      : Optional.of(
                          new PodRef(pod.get("namespace").asText(), pod.get("name").asText()));
              assertThat(PodRef.namespaceName(ref, in.get("sep").asText()))
                  .isEqualTo(ex.get("value").asText());
            },
            "nodelock_expire_env",
            (in, ex, c) ->
                assertThat(
                        GoDuration.format(
                            NodeLock.timeoutFromEnv(
                                Optional.ofNullable(in.get("HAMI_NODELOCK_EXPIRE"))
                                    .map(JsonNode::asText),
                                NodeLock.DEFAULT_TIMEOUT)))
                    .isEqualTo(ex.get("timeout").asText()),
            "node_lock_acquire",
            (in, ex, c) -> lockAcquire(in, ex)));
  }

  private static void lockAcquire(JsonNode in, JsonNode ex) {
    String nowStamp =
        NodeLockValue.heldBy(OffsetDateTime.now(CLOCK), new PodRef("x", "y"))
            .encode()
            .split(",")[0];
    JsonNode existing = in.get("existing_lock");
    Optional<String> current =
        existing == null || existing.isNull()
            ? Optional.empty()
            : Optional.of(existing.asText().replace("<RFC3339 now>", nowStamp));
    JsonNode exists = in.get("lock_holder_pod_exists");
    NodeLock.HolderLookup lookup =
        holder -> {
          assertThat(exists.isBoolean()).as("holder lookup not expected").isTrue();
          return exists.asBoolean();
        };
    PodRef requester =
        new PodRef(
            in.get("requester").get("namespace").asText(),
            in.get("requester").get("name").asText());
    var decision =
        NodeLock.decide(
            "node1",
            current,
            lookup,
            CLOCK,
            GoDuration.parse("lock_timeout", in.get("lock_timeout").asText()),
            requester);
    assertThat(decision.acquired()).isEqualTo(ex.get("acquired").asBoolean());
    if (ex.has("error_contains")) {
      assertThat(decision).isInstanceOf(NodeLock.Decision.Contention.class);
      assertThat(((NodeLock.Decision.Contention) decision).message())
          .contains(ex.get("error_contains").asText());
    }
    if (ex.has("new_value_format")) {
      String want = ex.get("new_value_format").asText().replace("<RFC3339 now>", nowStamp);
      assertThat(decision.valueToWrite()).contains(want);
      assertThat(nowStamp).isEqualTo("2026-08-21T10:00:00+08:00");
    }
  }
}
