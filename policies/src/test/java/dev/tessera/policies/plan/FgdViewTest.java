package dev.tessera.policies.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.policies.facts.FgdShares;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How HAMi usage and requests read as the FGD paper's milli-GPU shapes. */
class FgdViewTest {
  private static final GpuDevice GPU =
      GpuDevice.of("g0", 0, PlanFixtures.A100, PlanFixtures.A100_MIB, 100, 10, 0);

  private static DeviceUsage used(int slots, int memMiB, int cores) {
    return DeviceUsage.idle(GPU).plus(slots, memMiB, cores);
  }

  @Test
  void theLargerOfCoreAndMemoryShareCountsRoundedUp() {
    assertThat(FgdShares.idleMilli(used(1, 8_192, 30))).isEqualTo(700); // 10 % memory, 30 % cores
    assertThat(FgdShares.idleMilli(used(1, 40_960, 30))).isEqualTo(500); // 50 % memory wins
    assertThat(FgdShares.idleMilli(used(1, 1, 0))).isEqualTo(999); // 1 MiB still takes 1 milli
    assertThat(FgdShares.idleMilli(DeviceUsage.idle(GPU))).isEqualTo(1000);
  }

  @Test
  void aGpuOutOfSlotsOrUnhealthyHasNothingIdle() {
    assertThat(FgdShares.idleMilli(used(10, 10, 10))).isZero();
    assertThat(FgdShares.idleMilli(DeviceUsage.idle(GPU).withHealth(false))).isZero();
    assertThat(FgdView.wholeIdle(DeviceUsage.idle(GPU).withHealth(false))).isFalse();
    assertThat(FgdView.wholeIdle(used(1, 0, 0))).isFalse();
    assertThat(FgdView.wholeIdleCount(List.of(DeviceUsage.idle(GPU), used(1, 1, 1)))).isEqualTo(1);
  }

  @Test
  void requestsBecomeFgdPodShapes() {
    var usage = List.of(DeviceUsage.idle(GPU));
    var share = new GpuRequest(1, GpuRequest.NVIDIA, 0, 25, 10); // 25 % of the memory
    assertThat(FgdView.pod(List.of(share), 0, usage).gpuMilli()).isEqualTo(250);
    assertThat(FgdView.pod(List.of(share), 0, usage).isSharing()).isTrue();
    var two = new GpuRequest(2, GpuRequest.NVIDIA, 1_024, GpuRequest.PERCENT_UNSET, 10);
    assertThat(FgdView.pod(List.of(two), 0, usage).gpuCount()).isEqualTo(2);
    assertThat(FgdView.pod(List.of(two), 0, usage).gpuMilli()).isEqualTo(1000); // k > 1: whole
    var slotOnly = new GpuRequest(1, GpuRequest.NVIDIA, 0, GpuRequest.PERCENT_UNSET, 0);
    assertThat(FgdView.pod(List.of(slotOnly), 0, usage).gpuMilli()).isEqualTo(1);
    // init containers are not counted: they do not run alongside the app containers
    assertThat(FgdView.pod(List.of(two, share), 1, usage).gpuCount()).isEqualTo(1);
    assertThat(FgdView.pod(List.of(GpuRequest.NONE), 0, usage).isCpuOnly()).isTrue();
  }
}
