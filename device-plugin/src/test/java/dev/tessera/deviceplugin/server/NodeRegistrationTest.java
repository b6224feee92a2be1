package dev.tessera.deviceplugin.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.deviceplugin.config.DevicePluginSettings;
import dev.tessera.deviceplugin.config.FilterDevices;
import dev.tessera.deviceplugin.topology.GpuLinks;
import dev.tessera.deviceplugin.topology.LinkType;
import dev.tessera.deviceplugin.topology.TopologySource;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PairScoresCodec;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.MigProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NodeRegistrationTest {
  private static final GpuInfo T4 =
      new GpuInfo("GPU-aaa", 0, "Tesla T4", 15360, OptionalInt.empty(), true);
  private static final GpuInfo A100 =
      new GpuInfo("GPU-bbb", 1, "NVIDIA A100-SXM4-40GB", 40960, OptionalInt.of(1), true);

  @Test
  void encodesHamisRegisterJson() {
    var settings = DevicePluginSettings.of(10, 1.5, 1.0, "");
    var json =
        dev.tessera.engine.codec.NodeRegisterCodec.encode(
            NodeRegistration.devicesToRegister(List.of(T4, A100), settings));
    assertThat(json)
        .isEqualTo(
            "[{\"id\":\"GPU-aaa\",\"count\":10,\"devmem\":23040,\"devcore\":100,"
                + "\"type\":\"NVIDIA-Tesla T4\",\"mode\":\"hami-core\",\"health\":true},"
                + "{\"id\":\"GPU-bbb\",\"index\":1,\"count\":10,\"devmem\":61440,\"devcore\":100,"
                + "\"type\":\"NVIDIA A100-SXM4-40GB\",\"numa\":1,\"mode\":\"hami-core\","
                + "\"health\":true}]");
  }

  @Test
  void filteredAndMemorylessGpusAreLeftOut() {
    var filtered =
        new DevicePluginSettings(
            "hami-core",
            4,
            1.0,
            0.5,
            0,
            "",
            false,
            new FilterDevices(List.of("GPU-bbb"), List.of()),
            false);
    var noMemory = new GpuInfo("GPU-ccc", 2, "NVIDIA GB10", 0, OptionalInt.empty(), true);
    var devices = NodeRegistration.devicesToRegister(List.of(T4, A100, noMemory), filtered);
    assertThat(devices).extracting(d -> d.uuid()).containsExactly("GPU-aaa");
    assertThat(devices.get(0).cores()).isEqualTo(50);
    assertThat(devices.get(0).splitCount()).isEqualTo(4);
  }

  @Test
  void patchesOnlyWhenTheJsonChangesAndRetriesAfterAFailure() {
    var gpus = new AtomicReference<>(List.of(T4));
    var patches = new ArrayList<Map<String, String>>();
    var failNext = new boolean[] {true};
    NodePatcher patcher =
        (node, annotations) -> {
          assertThat(node).isEqualTo("n1");
          if (failNext[0]) {
            failNext[0] = false;
            throw new IllegalStateException("API server unavailable");
          }
          patches.add(annotations);
        };
    try (var r =
        new NodeRegistration(
            "n1",
            DevicePluginSettings.of(10, 1, 1, ""),
            gpus::get,
            patcher,
            Duration.ofHours(1),
            Duration.ofHours(1))) {
      assertThat(r.registerOnce()).isFalse();
      assertThat(r.registerOnce()).isTrue();
      assertThat(r.registerOnce()).isTrue();
      assertThat(patches).hasSize(1);

      gpus.set(List.of(T4.withHealthy(false)));
      assertThat(r.registerOnce()).isTrue();
      assertThat(patches).hasSize(2);
      assertThat(patches.get(1).get(Annotations.NODE_REGISTER)).doesNotContain("health");
    }
  }

  @Test
  void publishesPairScoresWithTheRegisterAnnotationInOnePatch() {
    var links =
        new AtomicReference<>(
            List.of(
                new GpuLinks(
                    "GPU-aaa", 0, Map.of(1, List.of(LinkType.SAME_CPU, LinkType.NVLINK_2))),
                new GpuLinks(
                    "GPU-bbb", 1, Map.of(0, List.of(LinkType.SAME_CPU, LinkType.NVLINK_2)))));
    var patches = new ArrayList<Map<String, String>>();
    TopologySource topology = links::get;
    try (var r =
        new NodeRegistration(
            "n1",
            DevicePluginSettings.of(10, 1, 1, ""),
            () -> List.of(T4, A100),
            (node, annotations) -> patches.add(annotations),
            Optional.of(topology),
            Duration.ofHours(1),
            Duration.ofHours(1))) {
      assertThat(r.registerOnce()).isTrue();
      assertThat(r.registerOnce()).isTrue();

      assertThat(patches).hasSize(1);
      assertThat(patches.get(0)).containsKeys(Annotations.NODE_REGISTER);
      assertThat(patches.get(0).get(Annotations.NODE_PAIR_SCORE))
          .isEqualTo(
              "[{\"uuid\":\"GPU-aaa\",\"score\":{\"GPU-bbb\":220}},"
                  + "{\"uuid\":\"GPU-bbb\",\"score\":{\"GPU-aaa\":220}}]");
      var decoded = PairScoresCodec.decode(patches.get(0).get(Annotations.NODE_PAIR_SCORE));
      assertThat(decoded.score("GPU-bbb", "GPU-aaa")).isEqualTo(220);

      // One NVLink went down on GPU-bbb's side: the pair is asymmetric and scores 0.
      links.set(
          List.of(
              links.get().get(0),
              new GpuLinks("GPU-bbb", 1, Map.of(0, List.of(LinkType.SAME_CPU)))));
      assertThat(r.registerOnce()).isTrue();
      assertThat(patches).hasSize(2);
      assertThat(PairScoresCodec.decode(patches.get(1).get(Annotations.NODE_PAIR_SCORE)).scores())
          .isEqualTo(Map.of("GPU-aaa", Map.of("GPU-bbb", 0), "GPU-bbb", Map.of("GPU-aaa", 0)));
    }
  }

  @Test
  void aTopologyFailureStillWritesTheRegisterAnnotationAndRetriesSooner() {
    var patches = new ArrayList<Map<String, String>>();
    TopologySource broken =
        () -> {
          throw new DeviceSourceException("NVML: cannot read GPU topology: boom");
        };
    try (var r =
        new NodeRegistration(
            "n1",
            DevicePluginSettings.of(10, 1, 1, ""),
            () -> List.of(T4),
            (node, annotations) -> patches.add(annotations),
            Optional.of(broken),
            Duration.ofHours(1),
            Duration.ofHours(1))) {
      assertThat(r.registerOnce()).isFalse();
      assertThat(patches).hasSize(1);
      assertThat(patches.get(0)).containsOnlyKeys(Annotations.NODE_REGISTER);
    }
  }

  @Test
  void inMigModeProfilesAreRegisteredWithUnscaledMemoryAndTheLargestInstanceCount() {
    var a100 =
        new GpuInfo(
            "GPU-bbb",
            1,
            "NVIDIA A100-SXM4-40GB",
            40960,
            OptionalInt.empty(),
            true,
            List.of(
                new MigProfile(
                    "1g.5gb",
                    4864,
                    14,
                    1,
                    7,
                    List.of(new MigPlacement(0, 1), new MigPlacement(6, 1))),
                new MigProfile("7g.40gb", 40192, 100, 7, 1, List.of(new MigPlacement(0, 8)))));
    var settings = DevicePluginSettings.of(10, 2.0, 0.5, "").withOperatingMode("mig");

    var json =
        dev.tessera.engine.codec.NodeRegisterCodec.encode(
            NodeRegistration.devicesToRegister(List.of(a100), settings));

    assertThat(json)
        .isEqualTo(
            "[{\"id\":\"GPU-bbb\",\"index\":1,\"count\":7,\"devmem\":40960,\"devcore\":100,"
                + "\"type\":\"NVIDIA A100-SXM4-40GB\",\"mode\":\"mig\",\"migProfiles\":["
                + "{\"name\":\"1g.5gb\",\"memoryMB\":4864,\"core\":14,\"sliceCount\":1,"
                + "\"placements\":[{\"start\":0,\"size\":1},{\"start\":6,\"size\":1}]},"
                + "{\"name\":\"7g.40gb\",\"memoryMB\":40192,\"core\":100,\"sliceCount\":7,"
                + "\"placements\":[{\"start\":0,\"size\":8}]}],\"health\":true}]");
  }
}
