package dev.tessera.deviceplugin.allocate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AllocationPlannerTest {
  private static final String HOOK = "/usr/local";

  private static Supplier<UUID> uuids() {
    long[] n = {0};
    return () -> new UUID(0, ++n[0]);
  }

  private static AllocationPlanner planner(AllocatorConfig config, HostFiles files) {
    return new AllocationPlanner(config, files, uuids());
  }

  private static PodSpec pod(String toAllocate, List<ContainerSpec> init, List<ContainerSpec> app) {
    return new PodSpec(
        "uid-1", "p", "ns", Map.of(Annotations.DEVICES_TO_ALLOCATE, toAllocate), init, app);
  }

  @Test
  void twoContainersEachGetTheirOwnDevicesEnvAndMounts() {
    var pod =
        pod(
            "GPU-aaa,NVIDIA,3000,50:;GPU-bbb,NVIDIA,4000,60:GPU-ccc,NVIDIA,5000,60:;",
            List.of(),
            List.of(ContainerSpec.named("c0"), ContainerSpec.named("c1")));
    var plan =
        planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
            .plan(pod, List.of(List.of("GPU-aaa-0"), List.of("GPU-bbb-1", "GPU-ccc-0")));

    var c0 = plan.containers().get(0);
    assertThat(c0.container().name()).isEqualTo("c0");
    assertThat(c0.envs())
        .containsExactly(
            Map.entry("NVIDIA_VISIBLE_DEVICES", "GPU-aaa"),
            Map.entry("CUDA_DEVICE_MEMORY_LIMIT_0", "3000m"),
            Map.entry("CUDA_DEVICE_SM_LIMIT", "50"),
            Map.entry(
                "CUDA_DEVICE_MEMORY_SHARED_CACHE",
                "/usr/local/vgpu/00000000-0000-0000-0000-000000000001.cache"));
    assertThat(c0.mounts())
        .containsExactly(
            new Mount("/usr/local/vgpu/libvgpu.so", "/usr/local/vgpu/libvgpu.so", true),
            new Mount("/usr/local/vgpu", "/usr/local/vgpu/containers/uid-1_c0", false),
            new Mount("/tmp/vgpulock", "/tmp/vgpulock", false),
            new Mount("/etc/ld.so.preload", "/usr/local/vgpu/ld.so.preload", true));
    assertThat(c0.hostDirectories())
        .containsExactly("/usr/local/vgpu/containers/uid-1_c0", "/tmp/vgpulock");

    var c1 = plan.containers().get(1);
    assertThat(c1.container().name()).isEqualTo("c1");
    assertThat(c1.envs())
        .containsEntry("NVIDIA_VISIBLE_DEVICES", "GPU-bbb,GPU-ccc")
        .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_0", "4000m")
        .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_1", "5000m")
        .containsEntry("CUDA_DEVICE_SM_LIMIT", "60")
        .containsEntry(
            "CUDA_DEVICE_MEMORY_SHARED_CACHE",
            "/usr/local/vgpu/00000000-0000-0000-0000-000000000002.cache");
    assertThat(c1.mountAt("/usr/local/vgpu").orElseThrow().hostPath())
        .isEqualTo("/usr/local/vgpu/containers/uid-1_c1");

    assertThat(plan.remainingAnnotation()).isEqualTo(";;;");
    assertThat(plan.allServed()).isTrue();
    assertThat(plan.podAnnotationPatches())
        .containsExactly(Map.of(Annotations.DEVICES_TO_ALLOCATE, ";;;"));
  }

  @Test
  void servingOneOfTwoContainersLeavesTheOtherPendingAndGrowsTrailingSemicolons() {
    var pod =
        pod(
            "GPU-aaa,NVIDIA,3000,50:;GPU-bbb,NVIDIA,4000,60:;",
            List.of(),
            List.of(ContainerSpec.named("c0"), ContainerSpec.named("c1")));
    var plan =
        planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
            .plan(pod, List.of(List.of("GPU-aaa-0")));
    assertThat(plan.remainingAnnotation()).isEqualTo(";GPU-bbb,NVIDIA,4000,60:;;");
    assertThat(plan.allServed()).isFalse();
  }

  @Test
  void initContainerEntriesComeFirst() {
    var pod =
        pod(
            ";GPU-aaa,NVIDIA,1000,10:;",
            List.of(ContainerSpec.named("init0")),
            List.of(ContainerSpec.named("main")));
    var plan =
        planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
            .plan(pod, List.of(List.of("GPU-aaa-3")));
    assertThat(plan.containers().get(0).container().name()).isEqualTo("main");
    assertThat(plan.containers().get(0).container().init()).isFalse();
  }

  @Test
  void sameGpuTwiceIsListedOnceInVisibleDevices() {
    var pod =
        pod(
            "GPU-aaa,NVIDIA,1000,10:GPU-aaa,NVIDIA,2000,10:;",
            List.of(),
            List.of(ContainerSpec.named("c0")));
    var c0 =
        planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
            .plan(pod, List.of(List.of("GPU-aaa-0", "GPU-aaa-1")))
            .containers()
            .get(0);
    assertThat(c0.envs())
        .containsEntry("NVIDIA_VISIBLE_DEVICES", "GPU-aaa")
        .containsEntry("CUDA_DEVICE_MEMORY_LIMIT_1", "2000m");
  }

  @Test
  void optionalEnvAndMountsFollowConfigAndHostFiles() {
    var config =
        new AllocatorConfig(HOOK, "v2.10.0", "hami-core", 1.5, "1", true, false, true, true, true);
    var existing = Set.of("/usr/local/vgpu/libvgpu.so.v2.10.0", "/usr/local/vgpu/license");
    var pod = pod("GPU-aaa,NVIDIA,1000,10:;", List.of(), List.of(ContainerSpec.named("c0")));
    var c0 =
        planner(config, existing::contains)
            .plan(pod, List.of(List.of("GPU-aaa-0")))
            .containers()
            .get(0);
    assertThat(c0.envs())
        .containsEntry("CUDA_OVERSUBSCRIBE", "true")
        .containsEntry("LIBCUDA_LOG_LEVEL", "1")
        .containsEntry("GPU_CORE_UTILIZATION_POLICY", "disable")
        .containsEntry("NVIDIA_GDRCOPY", "enabled")
        .containsEntry("NVIDIA_GDS", "enabled")
        .containsEntry("NVIDIA_MOFED", "enabled");
    assertThat(c0.mountAt("/usr/local/vgpu/libvgpu.so").orElseThrow().hostPath())
        .isEqualTo("/usr/local/vgpu/libvgpu.so.v2.10.0");
    assertThat(c0.mountAt("/tmp/license"))
        .contains(new Mount("/tmp/license", "/usr/local/vgpu/license", true));
    assertThat(c0.mountAt("/usr/bin/vgpuvalidator")).isPresent();
  }

  @Test
  void defaultsAddNoOptionalEnv() {
    var pod = pod("GPU-aaa,NVIDIA,1000,10:;", List.of(), List.of(ContainerSpec.named("c0")));
    var c0 =
        planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
            .plan(pod, List.of(List.of("GPU-aaa-0")))
            .containers()
            .get(0);
    assertThat(c0.envs())
        .doesNotContainKeys(
            "CUDA_OVERSUBSCRIBE", "LIBCUDA_LOG_LEVEL", "GPU_CORE_UTILIZATION_POLICY");
    assertThat(c0.mountAt("/tmp/license")).isEmpty();
  }

  @Test
  void cudaDisableControlFollowsGoParseBool() {
    for (var v : List.of("1", "t", "TRUE", "True")) {
      assertThat(AllocationPlanner.goParseBoolTrue(v)).as(v).isTrue();
    }
    for (var v : List.of("yes", "on", "tRUE", "0", "false", "")) {
      assertThat(AllocationPlanner.goParseBoolTrue(v)).as(v).isFalse();
    }
    var pod =
        pod(
            "GPU-aaa,NVIDIA,1000,10:;",
            List.of(),
            List.of(new ContainerSpec("c0", Map.of("CUDA_DISABLE_CONTROL", "yes"))));
    assertThat(
            planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
                .plan(pod, List.of(List.of("GPU-aaa-0")))
                .containers()
                .get(0)
                .mountsLdSoPreload())
        .isTrue();
  }

  @Test
  void preferredAllocationTakesKubeletsChoiceOfGpu() {
    var config = AllocatorConfig.defaults(HOOK).withEnableGetPreferredAllocation(true);
    var pod = pod("GPU-aaa,NVIDIA,1000,10:;", List.of(), List.of(ContainerSpec.named("c0")));
    var c0 =
        planner(config, HostFiles.empty())
            .plan(pod, List.of(List.of("GPU-03f69c50-207a-2038-9b45-23cac89cb67a-2")))
            .containers()
            .get(0);
    // Real GPU UUIDs have 5 dashes, so the replica suffix "-2" is recognised and stripped.
    assertThat(c0.envs())
        .containsEntry("NVIDIA_VISIBLE_DEVICES", "GPU-03f69c50-207a-2038-9b45-23cac89cb67a");
    assertThat(c0.devices().get(0).usedMemMiB()).isEqualTo(1000);
  }

  @Test
  void kubeletIdsAreIgnoredWithoutPreferredAllocation() {
    var pod = pod("GPU-aaa,NVIDIA,1000,10:;", List.of(), List.of(ContainerSpec.named("c0")));
    var c0 =
        planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
            .plan(pod, List.of(List.of("GPU-zzz-2")))
            .containers()
            .get(0);
    assertThat(c0.envs()).containsEntry("NVIDIA_VISIBLE_DEVICES", "GPU-aaa");
  }

  @Test
  void missingAnnotationIsATypedError() {
    var pod = new PodSpec("u", "p", "ns", Map.of(), List.of(), List.of(ContainerSpec.named("c0")));
    assertThatThrownBy(
            () ->
                planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
                    .plan(pod, List.of(List.of("GPU-aaa-0"))))
        .isInstanceOfSatisfying(
            AllocateException.class,
            e -> assertThat(e.reason()).isEqualTo(AllocateException.Reason.MISSING_ANNOTATION))
        .hasMessageContaining(Annotations.DEVICES_TO_ALLOCATE);
  }

  @Test
  void entryBeyondThePodsContainersIsAnErrorNotAGuess() {
    var pod = pod(";GPU-aaa,NVIDIA,1000,10:;", List.of(), List.of(ContainerSpec.named("c0")));
    assertThatThrownBy(
            () ->
                planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
                    .plan(pod, List.of(List.of("GPU-aaa-0"))))
        .isInstanceOfSatisfying(
            AllocateException.class,
            e -> assertThat(e.reason()).isEqualTo(AllocateException.Reason.ENTRY_WITHOUT_CONTAINER))
        .hasMessageContaining("device entry 1")
        .hasMessageContaining("0 init and 1 app containers");
  }

  @Test
  void moreRequestsThanEntriesIsAnError() {
    var pod = pod("GPU-aaa,NVIDIA,1000,10:;", List.of(), List.of(ContainerSpec.named("c0")));
    assertThatThrownBy(
            () ->
                planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
                    .plan(pod, List.of(List.of("GPU-aaa-0"), List.of("GPU-aaa-1"))))
        .isInstanceOfSatisfying(
            AllocateException.class,
            e -> assertThat(e.reason()).isEqualTo(AllocateException.Reason.NO_PENDING_ALLOCATION))
        .hasMessageContaining("no pending device allocation found");
  }

  @Test
  void malformedAnnotationIsADecodeError() {
    var pod = pod("GPU-aaa,NVIDIA,lots,10:;", List.of(), List.of(ContainerSpec.named("c0")));
    assertThatThrownBy(
            () ->
                planner(AllocatorConfig.defaults(HOOK), HostFiles.empty())
                    .plan(pod, List.of(List.of("GPU-aaa-0"))))
        .isInstanceOf(AnnotationDecodeException.class)
        .hasMessageContaining("MEM");
  }
}
