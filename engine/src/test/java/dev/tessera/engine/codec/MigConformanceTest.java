package dev.tessera.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.MigAllocation;
import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.VectorKinds;
import dev.tessera.engine.usage.CachedPod;
import dev.tessera.engine.usage.NodeUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class MigConformanceTest {
  @TestFactory
  Stream<DynamicTest> vectors() {
    return HamiVectors.tests(
        VectorKinds.CODEC,
        "mig.json",
        Map.of(
            "mig_allocations_encode_decode",
            (in, ex, c) -> {
              var containers = CodecJson.containers(in.get("pod_single_device"));
              String encoded = MigAllocationsCodec.encode(containers);
              assertThat(MigAllocationsCodec.decode(encoded))
                  .isEqualTo(expected(ex.get("decoded")));
            },
            "mig_allocations_decode",
            (in, ex, c) -> {
              String annotation = in.get("annotation").asText();
              if (ex.path("error").asBoolean(false)) {
                assertThatThrownBy(() -> MigAllocationsCodec.decode(annotation))
                    .isInstanceOf(AnnotationDecodeException.class);
                return;
              }
              var decoded = MigAllocationsCodec.decode(annotation);
              if (ex.has("decoded_runtime")) {
                JsonNode rt = ex.get("decoded_runtime");
                assertThat(decoded.get(0).gpuInstanceId())
                    .isEqualTo(OptionalInt.of(rt.get("gpuInstanceID").asInt()));
                assertThat(decoded.get(0).computeInstanceId())
                    .isEqualTo(OptionalInt.of(rt.get("computeInstanceID").asInt()));
              }
            },
            "mig_node_usage",
            (in, ex, c) -> {
              var device = CodecJson.registered(in.get("registered_device"));
              var pods = new ArrayList<CachedPod>();
              for (JsonNode p : in.get("pods")) {
                var annotations = new java.util.HashMap<>(CodecJson.strings(p.get("annotations")));
                annotations.put(
                    Annotations.DEVICES_ALLOCATED,
                    PodDevicesCodec.encode(CodecJson.containers(p.get("devices").get("NVIDIA"))));
                pods.add(CachedPod.fromAnnotations("ns/p" + pods.size(), annotations, 0, false));
              }
              DeviceUsage u = NodeUsage.compute(List.of(device), pods).get(0);
              if (ex.has("health")) {
                assertThat(u.healthy()).isEqualTo(ex.get("health").asBoolean());
              }
              if (ex.has("allocations_in_use")) {
                var want = new ArrayList<MigAllocation>();
                for (JsonNode a : ex.get("allocations_in_use")) {
                  want.add(
                      new MigAllocation(
                          a.get("profile").asText(),
                          CodecJson.placement(a.get("placement")),
                          a.path("migUUID").asText(""),
                          a.has("gpuInstanceID")
                              ? OptionalInt.of(a.get("gpuInstanceID").asInt())
                              : OptionalInt.empty(),
                          a.has("computeInstanceID")
                              ? OptionalInt.of(a.get("computeInstanceID").asInt())
                              : OptionalInt.empty()));
                  if (a.has("runtimeReady")) {
                    assertThat(want.get(want.size() - 1).runtimeReady())
                        .isEqualTo(a.get("runtimeReady").asBoolean());
                  }
                }
                assertThat(u.migInUse()).isEqualTo(want);
              }
              if (ex.has("allocation_placement_starts")) {
                var starts = new ArrayList<Integer>();
                ex.get("allocation_placement_starts").forEach(s -> starts.add(s.asInt()));
                assertThat(u.migInUse())
                    .extracting(a -> a.placement().start())
                    .containsExactlyElementsOf(starts);
              }
            }));
  }

  private static List<MigReservation> expected(JsonNode arr) {
    var out = new ArrayList<MigReservation>();
    for (JsonNode n : arr) {
      out.add(
          new MigReservation(
              n.get("containerIndex").asInt(),
              n.get("deviceIndex").asInt(),
              n.get("gpuUUID").asText(),
              n.get("profile").asText(),
              CodecJson.placement(n.get("placement")),
              n.path("migUUID").asText(""),
              n.has("gpuInstanceID")
                  ? OptionalInt.of(n.get("gpuInstanceID").asInt())
                  : OptionalInt.empty(),
              n.has("computeInstanceID")
                  ? OptionalInt.of(n.get("computeInstanceID").asInt())
                  : OptionalInt.empty()));
    }
    return out;
  }
}
