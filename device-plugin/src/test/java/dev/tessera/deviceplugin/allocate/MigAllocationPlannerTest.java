package dev.tessera.deviceplugin.allocate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.MigAllocationsCodec;
import dev.tessera.engine.codec.MigReservation;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.MigPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code mig}-mode Allocate (hami-compat §7.9): reservations realised, MIG UUIDs handed out. */
class MigAllocationPlannerTest {
  private static final String GPU_A = "GPU-aaa";
  private static final String GPU_B = "GPU-bbb";
  private static final AllocatorConfig MIG =
      AllocatorConfig.defaults("/usr/local").withOperatingMode(AllocatorConfig.MODE_MIG);

  private final List<String> realised = new ArrayList<>();

  // Instance ids follow the placement so that the test can tell the two devices apart.
  private final MigInstances fakeNvml =
      (gpu, profile, placement) -> {
        realised.add(gpu + " " + profile + " @" + placement.start());
        return new MigInstance(
            "MIG-" + gpu.substring(4) + "-" + placement.start(), placement.start(), 0);
      };

  private static PodSpec pod(String migAllocations) {
    var toAllocate =
        PodDevicesCodec.encode(
            List.of(
                List.of(),
                List.of(
                    ContainerDevice.of(GPU_A, "NVIDIA", 4864, 14),
                    ContainerDevice.of(GPU_B, "NVIDIA", 4864, 14))));
    var annotations = new java.util.HashMap<String, String>();
    annotations.put(Annotations.DEVICES_TO_ALLOCATE, toAllocate);
    if (migAllocations != null) {
      annotations.put(Annotations.MIG_ALLOCATIONS, migAllocations);
    }
    return new PodSpec(
        "uid-1",
        "p",
        "ns",
        annotations,
        List.of(ContainerSpec.named("init")),
        List.of(ContainerSpec.named("train")));
  }

  private static String reserved(String gpuOfSecondDevice) {
    return MigAllocationsCodec.encodeReservations(
        List.of(
            MigReservation.reserved(1, 0, GPU_A, "1g.5gb", new MigPlacement(6, 1)),
            MigReservation.reserved(1, 1, gpuOfSecondDevice, "1g.5gb", new MigPlacement(5, 1))));
  }

  @Test
  void realisesEachReservationAndHandsTheContainerOnlyMigDevices() {
    var planner = new AllocationPlanner(MIG, HostFiles.empty(), UUID::randomUUID, fakeNvml);

    var plan = planner.plan(pod(reserved(GPU_B)), List.of(List.of("GPU-aaa-0", "GPU-bbb-3")));

    assertThat(realised).containsExactly("GPU-aaa 1g.5gb @6", "GPU-bbb 1g.5gb @5");
    var c = plan.containers().get(0);
    assertThat(c.container().name()).isEqualTo("train");
    assertThat(c.envs())
        .containsExactly(Map.entry("NVIDIA_VISIBLE_DEVICES", "MIG-aaa-6,MIG-bbb-5"));
    assertThat(c.mounts()).isEmpty();
    assertThat(c.hostDirectories()).isEmpty();
    assertThat(plan.allServed()).isTrue();

    var patch = plan.podAnnotationPatches();
    assertThat(patch).hasSize(1);
    assertThat(patch.get(0)).containsKeys(Annotations.DEVICES_TO_ALLOCATE);
    assertThat(MigAllocationsCodec.decode(patch.get(0).get(Annotations.MIG_ALLOCATIONS)))
        .containsExactly(
            new MigReservation(
                1,
                0,
                GPU_A,
                "1g.5gb",
                new MigPlacement(6, 1),
                "MIG-aaa-6",
                OptionalInt.of(6),
                OptionalInt.of(0)),
            new MigReservation(
                1,
                1,
                GPU_B,
                "1g.5gb",
                new MigPlacement(5, 1),
                "MIG-bbb-5",
                OptionalInt.of(5),
                OptionalInt.of(0)));
  }

  @Test
  void aPodWithoutReservationsFailsNamingTheAnnotation() {
    var planner = new AllocationPlanner(MIG, HostFiles.empty(), UUID::randomUUID, fakeNvml);
    assertThatThrownBy(() -> planner.plan(pod(null), List.of(List.of("GPU-aaa-0", "GPU-bbb-3"))))
        .isInstanceOfSatisfying(
            AllocateException.class,
            e -> assertThat(e.reason()).isEqualTo(AllocateException.Reason.MIG_RESERVATION_MISSING))
        .hasMessageContaining("ns/p")
        .hasMessageContaining(Annotations.MIG_ALLOCATIONS);
    assertThat(realised).isEmpty();
  }

  @Test
  void aReservationOnAnotherGpuThanTheEntryIsRefused() {
    var planner = new AllocationPlanner(MIG, HostFiles.empty(), UUID::randomUUID, fakeNvml);
    assertThatThrownBy(
            () ->
                planner.plan(pod(reserved("GPU-zzz")), List.of(List.of("GPU-aaa-0", "GPU-bbb-3"))))
        .isInstanceOf(AllocateException.class)
        .hasMessageContaining("container train")
        .hasMessageContaining("no reservation for device 1 (GPU-bbb)");
  }

  @Test
  void kubeletsDeviceCountMustStillMatch() {
    var planner = new AllocationPlanner(MIG, HostFiles.empty(), UUID::randomUUID, fakeNvml);
    assertThatThrownBy(() -> planner.plan(pod(reserved(GPU_B)), List.of(List.of("GPU-aaa-0"))))
        .isInstanceOfSatisfying(
            AllocateException.class,
            e -> assertThat(e.reason()).isEqualTo(AllocateException.Reason.DEVICE_NUMBER_MISMATCH));
  }

  @Test
  void withoutMigManagementTheErrorSaysSo() {
    var planner = new AllocationPlanner(MIG, HostFiles.empty(), UUID::randomUUID);
    assertThatThrownBy(
            () -> planner.plan(pod(reserved(GPU_B)), List.of(List.of("GPU-aaa-0", "GPU-bbb-3"))))
        .isInstanceOfSatisfying(
            AllocateException.class,
            e -> assertThat(e.reason()).isEqualTo(AllocateException.Reason.MIG_INSTANCE_FAILED))
        .hasMessageContaining("1g.5gb")
        .hasMessageContaining("GPU-aaa")
        .hasMessageContaining("hami-core");
  }
}
