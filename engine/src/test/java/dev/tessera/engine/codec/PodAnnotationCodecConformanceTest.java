package dev.tessera.engine.codec;

import static dev.tessera.engine.codec.CodecJson.container;
import static dev.tessera.engine.codec.CodecJson.containers;
import static dev.tessera.engine.codec.CodecJson.podDevices;
import static dev.tessera.engine.codec.CodecJson.strings;
import static dev.tessera.engine.codec.CodecJson.wireContainer;
import static dev.tessera.engine.codec.CodecJson.wirePodDevices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.VectorKinds;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class PodAnnotationCodecConformanceTest {
  @TestFactory
  Stream<DynamicTest> vectors() {
    return HamiVectors.tests(
        VectorKinds.CODEC,
        "pod-annotation-codec.json",
        Map.of(
            "encode_pod_single_device",
            (in, ex, c) ->
                assertThat(PodDevicesCodec.encode(containers(in.get("containers"))))
                    .isEqualTo(ex.get("encoded").asText()),
            "decode_pod_devices",
            (in, ex, c) -> {
              var checklist = strings(in.get("checklist"));
              var annotations = strings(in.get("annotations"));
              if (ex.path("error").asBoolean(false)) {
                assertThatThrownBy(() -> PodDevicesCodec.decodePodDevices(checklist, annotations))
                    .isInstanceOf(AnnotationDecodeException.class);
                return;
              }
              assertThat(PodDevicesCodec.decodePodDevices(checklist, annotations))
                  .isEqualTo(wirePodDevices(ex.get("devices")));
            },
            "encode_container_devices",
            (in, ex, c) ->
                assertThat(PodDevicesCodec.encodeContainer(container(in.get("devices"))))
                    .isEqualTo(ex.get("encoded").asText()),
            "decode_container_devices",
            (in, ex, c) ->
                assertThat(
                        PodDevicesCodec.decodeContainer(
                            Annotations.DEVICES_TO_ALLOCATE, in.get("encoded").asText()))
                    .isEqualTo(wireContainer(ex.get("devices"))),
            "encode_container_device_type",
            (in, ex, c) ->
                assertThat(
                        PodDevicesCodec.encodeContainerDeviceType(
                            container(in.get("devices")), in.get("type").asText()))
                    .isEqualTo(ex.get("encoded").asText()),
            "nvidia_patch_annotations",
            (in, ex, c) ->
                assertThat(PodDevicesCodec.patchAnnotations(podDevices(in.get("pod_devices"))))
                    .isEqualTo(strings(ex.get("annotations")))));
  }
}
