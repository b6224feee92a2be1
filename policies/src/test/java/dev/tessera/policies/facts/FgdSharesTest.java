package dev.tessera.policies.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.features.TargetWorkload;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one HAMi → FGD milli mapping, as the DRL facts and the plans read it. */
class FgdSharesTest {
  private static final int[] OPENB_GPU_MIB = {16_384, 32_768, 15_360, 24_576};

  @Test
  void percentRequestsBookExactlyTheirShareOnEveryOpenbGpu() {
    for (int mib : OPENB_GPU_MIB) {
      GpuDevice gpu = GpuDevice.of("g", 0, "NVIDIA-T4", mib, 100, 100, 0);
      for (int pct = 1; pct <= 100; pct++) {
        GpuRequest r = new GpuRequest(1, GpuRequest.NVIDIA, 0, pct, pct);
        assertThat(FgdShares.requestMilli(r, mib, 100))
            .as("%d %% of %d MiB", pct, mib)
            .isEqualTo(10 * pct);
        // memory booked as HAMi books it (floor of the percentage), several pods summed
        DeviceUsage u = DeviceUsage.idle(gpu);
        int booked = 0;
        while (booked + pct <= 100) {
          u = u.plus(1, r.memoryOn(mib), pct);
          booked += pct;
        }
        assertThat(FgdShares.idleMilli(u)).isEqualTo(1000 - 10 * booked);
      }
    }
  }

  @Test
  void theDrlFactsUseTheLargerOfCoreAndMemoryShare() {
    GpuDevice gpu = GpuDevice.of("g", 0, "NVIDIA-T4", 10_000, 100, 10, 0);
    DeviceUsage u = DeviceUsage.idle(gpu).plus(1, 6_000, 30); // 60 % memory, 30 % cores
    var frag = new Fragmentation(TargetWorkload.fromPods(List.of(FgdPod.of(1000, 1, 500))));
    FgdNodeState s = FgdNodeState.of("n", List.of(u), List.of(), new HostFree(1000, 1000, 1), frag);
    assertThat(s.idle()).containsExactly(400).containsExactly(FgdShares.idleMilli(u));
    assertThat(
            FgdShares.requestMilli(
                new GpuRequest(1, GpuRequest.NVIDIA, 2_500, GpuRequest.PERCENT_UNSET, 10),
                10_000,
                100))
        .isEqualTo(250);
    assertThat(FgdShares.requestMilli(GpuRequest.NONE, 10_000, 100)).isZero();
  }
}
