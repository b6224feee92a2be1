package dev.tessera.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.model.GpuRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** §2.1 integrality rules beyond the vectors. */
class GpuRequestsTest {
  private static final DeviceConfig CHART = DeviceConfig.chartDefaults();

  private static GpuRequest derive(Map<String, String> limits) {
    return GpuRequests.derive(CHART, AdmissionContainer.of("c", limits, Map.of()));
  }

  @Test
  void nonIntegralCountOrMemoryVoidsTheRequest() {
    assertThat(derive(Map.of("nvidia.com/gpu", "1500m"))).isEqualTo(GpuRequest.NONE);
    assertThat(derive(Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem", "0.5")))
        .isEqualTo(GpuRequest.NONE);
    assertThat(derive(Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem", "-1")))
        .isEqualTo(GpuRequest.NONE);
  }

  @Test
  void nonIntegralCoresOrPercentageIsIgnored() {
    assertThat(
            derive(
                Map.of(
                    "nvidia.com/gpu", "1",
                    "nvidia.com/gpucores", "20.5",
                    "nvidia.com/gpumem-percentage", "50.5")))
        .isEqualTo(new GpuRequest(1, "NVIDIA", 0, 100, 0));
  }

  @Test
  void exponentAndSuffixFormsAreIntegers() {
    assertThat(derive(Map.of("nvidia.com/gpu", "2", "nvidia.com/gpumem", "1e3")))
        .isEqualTo(new GpuRequest(2, "NVIDIA", 1000, 101, 0));
    assertThat(derive(Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem", "20k")))
        .isEqualTo(new GpuRequest(1, "NVIDIA", 20000, 101, 0));
  }

  @Test
  void malformedGpuValueNamesResourceAndValue() {
    assertThatThrownBy(() -> derive(Map.of("nvidia.com/gpu", "1", "nvidia.com/gpucores", "lots")))
        .isInstanceOf(QuantityException.class)
        .hasMessageStartingWith("resource nvidia.com/gpucores: invalid quantity \"lots\"");
  }
}
