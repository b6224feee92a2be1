package dev.tessera.deviceplugin.deviceid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceIdsTest {
  private static final String UUID = "GPU-03f69c50-207a-2038-9b45-23cac89cb67a";

  @Test
  void advertisesOneIdPerSplitAndEachMapsBack() {
    var ids = DeviceIds.advertised(UUID, 3);
    assertThat(ids).containsExactly(UUID + "-0", UUID + "-1", UUID + "-2");
    assertThat(ids).allSatisfy(id -> assertThat(DeviceIds.physicalUuid(id)).isEqualTo(UUID));
  }

  @Test
  void staticMigIdsPassThrough() {
    var mig = "MIG-0d2a9b1e-1111-2222-3333-444444444444";
    assertThat(DeviceIds.advertised(mig, 10)).containsExactly(mig);
  }

  @Test
  void nonNumericSuffixIsKept() {
    assertThat(DeviceIds.physicalUuid("GPU-a-b-c-d-e-x")).isEqualTo("GPU-a-b-c-d-e-x");
    assertThat(DeviceIds.physicalUuid("GPU-a-b-c-d-e-")).isEqualTo("GPU-a-b-c-d-e-");
  }

  @Test
  void splitCountBelowOneIsRejected() {
    assertThatThrownBy(() -> DeviceIds.advertised(UUID, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deviceSplitCount");
  }

  @Test
  void wholeCallMatchesRequestsToNonEmptyEntriesAndSkipsFailures() {
    String a = "GPU-03f69c50-207a-2038-9b45-23cac89cb67a";
    String b = "GPU-03f69c50-207a-2038-9b45-23cac89cb67b";
    var out =
        PreferredAllocation.forRequests(
            List.of(List.of(), List.of(a), List.of(b)),
            List.of(
                new PreferredAllocation.ContainerRequest(List.of(a + "-0", a + "-1"), List.of(), 1),
                new PreferredAllocation.ContainerRequest(List.of(a + "-1"), List.of(), 1),
                new PreferredAllocation.ContainerRequest(List.of(b + "-0"), List.of(), 1)));
    assertThat(out.get(0)).contains(List.of(a + "-0"));
    assertThat(out.get(1)).isEmpty(); // b has no available ID
    assertThat(out.get(2)).isEmpty(); // no third non-empty entry
  }

  @Test
  void migBracketIdsMapToTheirGpu() {
    assertThat(DeviceIds.physicalUuid(UUID + "[1-0]")).isEqualTo(UUID);
  }

  @Test
  void preferredAllocationStopsAtSize() {
    var sel =
        PreferredAllocation.select(
            List.of("GPU-a-1-1-1-1-0", "GPU-b-1-1-1-1-0"),
            List.of(),
            List.of("GPU-a-1-1-1-1", "GPU-b-1-1-1-1"),
            1);
    assertThat(sel).containsExactly("GPU-a-1-1-1-1-0");
  }
}
