package dev.tessera.engine.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.codec.MigReservation;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.MigPlacement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeUsageTest {
  private static final GpuDevice PLAIN = GpuDevice.of("GPU-a", 0, "NVIDIA", 16384, 100, 10, 0);

  @Test
  void reservationOnNonMigGpuFailsClosed() {
    var pod =
        new CachedPod(
            "ns/p",
            Map.of("NVIDIA", List.of(List.of(ContainerDevice.of("GPU-a", "NVIDIA", 100, 10)))),
            0,
            false,
            List.of(MigReservation.reserved(0, 0, "GPU-a", "1g.5gb", new MigPlacement(0, 1))),
            Optional.empty());
    var u = NodeUsage.compute(List.of(PLAIN), List.of(pod)).get(0);
    assertThat(u.healthy()).isFalse();
    assertThat(u.used()).isEqualTo(1);
    assertThat(u.usedMemMiB()).isEqualTo(100);
  }

  @Test
  void podsOnUnknownDevicesAreIgnoredAndInitDoneUsesAppOnly() {
    var pod =
        new CachedPod(
            "ns/p",
            Map.of(
                "NVIDIA",
                List.of(
                    List.of(ContainerDevice.of("GPU-a", "NVIDIA", 9000, 90)),
                    List.of(
                        ContainerDevice.of("GPU-a", "NVIDIA", 100, 10),
                        ContainerDevice.of("GPU-z", "NVIDIA", 100, 10)))),
            1,
            true,
            List.of(),
            Optional.empty());
    var u = NodeUsage.compute(List.of(PLAIN), List.of(pod)).get(0);
    assertThat(u.usedMemMiB()).isEqualTo(100);
    assertThat(u.usedCores()).isEqualTo(10);
    assertThat(u.healthy()).isTrue();
  }
}
