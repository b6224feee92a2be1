package dev.tessera.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingAllocationTest {
  private static final String TWO_CONTAINERS =
      "GPU-a,NVIDIA,3000,30:;GPU-a,NVIDIA,1000,10:GPU-b,NVIDIA,1000,10:;";

  @Test
  void signatureIsTheGpuCountOfEachUnservedContainer() {
    assertThat(PendingAllocation.pendingCounts(TWO_CONTAINERS)).contains(List.of(1, 2));
    assertThat(PendingAllocation.pendingCounts(";GPU-a,NVIDIA,1000,10:GPU-b,NVIDIA,1000,10:;"))
        .contains(List.of(2));
    assertThat(PendingAllocation.pendingCounts((String) null)).contains(List.of());
    assertThat(PendingAllocation.pendingCounts("GPU-a,NVIDIA,lots,30:;")).isEmpty();
  }

  @Test
  void aKubeletRequestFitsWhenItIsAPrefixOfTheSignature() {
    assertThat(PendingAllocation.fits(List.of(1, 2), List.of(1))).isTrue();
    assertThat(PendingAllocation.fits(List.of(1, 2), List.of(1, 2))).isTrue();
    assertThat(PendingAllocation.fits(List.of(1, 2), List.of(2))).isFalse();
    assertThat(PendingAllocation.fits(List.of(1), List.of(1, 2))).isFalse();
  }

  @Test
  void podsSharingAnyPerContainerCountAreIndistinguishable() {
    assertThat(PendingAllocation.indistinguishable(List.of(1), List.of(1))).isTrue();
    assertThat(PendingAllocation.indistinguishable(List.of(1, 2), List.of(2))).isTrue();
    assertThat(PendingAllocation.indistinguishable(List.of(1), List.of(2))).isFalse();
    assertThat(PendingAllocation.indistinguishable(List.of(), List.of(1))).isFalse();
  }

  @Test
  void waitingNeedsPendingPhaseBindTimeWaitingBindPhaseThisNodeAndUnservedEntries() {
    Map<String, String> a =
        Map.of(
            Annotations.BIND_TIME, "1763900000",
            Annotations.BIND_PHASE, "allocating",
            Annotations.VGPU_NODE, "n1",
            Annotations.DEVICES_TO_ALLOCATE, TWO_CONTAINERS);
    assertThat(PendingAllocation.waiting("Pending", a, "n1")).isTrue();
    assertThat(PendingAllocation.waiting("Running", a, "n1")).isFalse();
    assertThat(PendingAllocation.waiting("Pending", a, "n2")).isFalse();
    var failed = new java.util.HashMap<>(a);
    failed.put(Annotations.BIND_PHASE, "failed");
    assertThat(PendingAllocation.waiting("Pending", failed, "n1")).isFalse();
    var served = new java.util.HashMap<>(a);
    served.put(Annotations.DEVICES_TO_ALLOCATE, ";;");
    assertThat(PendingAllocation.waiting("Pending", served, "n1")).isFalse();
  }
}
