package dev.tessera.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-namespace totals ResourceQuota usage is read from (hami-compat §9.1). */
class NamespaceUsageTest {
  private static final Node NODE =
      Node.of(
          "n1",
          List.of(
              GpuDevice.of("GPU-a", 0, "NVIDIA-A100", 40_000, 100, 10, 0),
              GpuDevice.of("GPU-b", 1, "NVIDIA-A100", 40_000, 100, 10, 0)));

  private static Placement pod(String key, List<List<ContainerDevice>> containers, int init) {
    return new Placement(key, "", "n1", init, containers);
  }

  private static ContainerDevice dev(String uuid, int mem, int cores) {
    return ContainerDevice.of(uuid, GpuRequest.NVIDIA, mem, cores);
  }

  @Test
  void sumsThePodsOfEachNamespaceAndFollowsAssumeAndForget() {
    ClusterSnapshot s =
        ClusterSnapshot.of(
            List.of(NODE),
            List.of(
                pod("team-a/x", List.of(List.of(dev("GPU-a", 1000, 10))), 0),
                pod("team-a/y", List.of(List.of(dev("GPU-b", 2000, 20))), 0),
                pod("team-b/z", List.of(List.of(dev("GPU-a", 500, 5))), 0)));
    assertThat(s.namespaceUsage("team-a")).isEqualTo(new NamespaceUsage(3000, 30));
    assertThat(s.namespaceUsage("team-b")).isEqualTo(new NamespaceUsage(500, 5));
    assertThat(s.namespaceUsage("team-c")).isEqualTo(NamespaceUsage.NONE);

    ClusterSnapshot more = s.assume(pod("team-b/w", List.of(List.of(dev("GPU-b", 700, 7))), 0));
    assertThat(more.namespaceUsage("team-b")).isEqualTo(new NamespaceUsage(1200, 12));
    assertThat(s.namespaceUsage("team-b"))
        .as("the old snapshot is unchanged")
        .isEqualTo(new NamespaceUsage(500, 5));
    assertThat(more.forget("team-a/x").namespaceUsage("team-a"))
        .isEqualTo(new NamespaceUsage(2000, 20));
    assertThat(more.forget("team-a/x").forget("team-a/y").namespaceUsage("team-a"))
        .isEqualTo(NamespaceUsage.NONE);
  }

  @Test
  void anInitContainerAndAnAppContainerOnOneGpuCountOnceAsTheSnapshotBooksThem() {
    // §7.10: init and app containers on the same GPU collapse to the larger of the two
    ClusterSnapshot s =
        ClusterSnapshot.of(
            List.of(NODE),
            List.of(
                pod(
                    "team-a/x",
                    List.of(List.of(dev("GPU-a", 4000, 40)), List.of(dev("GPU-a", 1000, 10))),
                    1)));
    long booked = s.nodes().get(0).usage().get(0).usedMemMiB();
    assertThat(s.namespaceUsage("team-a").memMiB()).isEqualTo(booked);
  }
}
