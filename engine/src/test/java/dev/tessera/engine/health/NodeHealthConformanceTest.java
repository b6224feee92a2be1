package dev.tessera.engine.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.VectorKinds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class NodeHealthConformanceTest {
  // Inside the window the handshake vectors allow ("after 2024-01-02 00:01:00, before 2128").
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-08-21T02:00:00Z"), ZoneId.of("Asia/Shanghai"));

  @TestFactory
  Stream<DynamicTest> vectors() {
    return HamiVectors.tests(
        VectorKinds.CODEC,
        "node-health.json",
        Map.of(
            "handshake_check",
            (in, ex, c) -> {
              long allocatable =
                  Long.parseLong(
                      in.get("node_allocatable")
                          .path(in.get("resource_count_name").asText())
                          .asText("0"));
              var r =
                  Handshake.check(
                      Optional.of(in.get("handshake_value").asText()), allocatable, CLOCK);
              assertThat(r.healthy()).isEqualTo(ex.get("healthy").asBoolean());
              assertThat(r.needUpdate()).isEqualTo(ex.get("need_update").asBoolean());
            },
            "nvidia_node_health",
            (in, ex, c) -> {
              String handshake = in.get("handshake_value").asText();
              if (in.hasNonNull("handshake_age_seconds")) {
                Instant stamp =
                    CLOCK.instant().minusSeconds(in.get("handshake_age_seconds").asLong());
                handshake = Handshake.requesting(stamp, CLOCK.getZone());
              }
              var memory =
                  new NodeHealthMemory(
                      in.get("previously_reported_gpu").asLong(),
                      text(in.get("previously_seen_register_annotation")).orElse(""));
              var t =
                  NodeHealth.check(
                      memory,
                      in.get("allocatable_gpu").asLong(),
                      Optional.of(handshake),
                      text(in.get("register_annotation")),
                      CLOCK);
              assertThat(t.healthy()).isEqualTo(ex.get("healthy").asBoolean());
              assertThat(t.needUpdate()).isEqualTo(ex.get("need_update").asBoolean());
            }));
  }

  private static Optional<String> text(JsonNode n) {
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
  }
}
