package dev.tessera.extender.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.extender.Fixtures;
import dev.tessera.extender.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest directories: bad objects are skipped with a reason, good ones are served. */
class SnapshotFilesTest {
  @TempDir Path dir;

  @Test
  void aPodWithAMalformedAllocationIsKeptButNotBookedAndBadNodesAreSkipped() throws Exception {
    String docs =
        String.join(
            "\n---\n",
            Fixtures.JSON.writeValueAsString(Manifests.node("gpu-1", 1, 16384, 4)),
            Fixtures.JSON.writeValueAsString(Manifests.nodeWithRegister("empty", "[]", 4)),
            Fixtures.JSON.writeValueAsString(
                Manifests.runningPod("good", "gpu-1", "GPU-gpu-1-0,NVIDIA,4000,20:;")),
            Fixtures.JSON.writeValueAsString(
                Manifests.runningPod("bad", "gpu-1", "GPU-gpu-1-0,NVIDIA:;")),
            "{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\"}}");
    Files.writeString(dir.resolve("all.yaml"), docs);

    var loaded = SnapshotFiles.load(dir, "nvidia.com/gpu", Fixtures.CLOCK, f -> Optional.empty());
    var cluster = loaded.toCluster();

    assertThat(loaded.nodes()).extracting(n -> n.name()).containsExactly("gpu-1");
    assertThat(loaded.skipped())
        .anySatisfy(
            s ->
                assertThat(s)
                    .contains("node empty skipped: node unregistered")
                    .contains("expected at least one device"))
        .anySatisfy(s -> assertThat(s).contains("document skipped: kind \"ConfigMap\""));
    assertThat(cluster.pod("default", "bad")).isPresent();
    assertThat(cluster.snapshot().nodeOf("default/bad")).isEmpty();
    assertThat(cluster.snapshot().nodeOf("default/good")).contains("gpu-1");
    assertThat(cluster.snapshot().node("gpu-1").orElseThrow().usage().get(0).usedMemMiB())
        .isEqualTo(4000);
  }

  @Test
  void resourceQuotasInTheDirectoryBecomeTheClustersLimits() throws Exception {
    Files.writeString(
        dir.resolve("quotas.yaml"),
        String.join(
            "\n",
            "kind: ResourceQuota",
            "metadata: {name: gpu, namespace: team-a}",
            "spec:",
            "  hard:",
            "    limits.nvidia.com/gpumem: 10000",
            "    limits.nvidia.com/gpucores: \"200\"",
            "    requests.cpu: 500m",
            "---",
            "kind: ResourceQuotaList",
            "items:",
            "  - metadata: {name: odd}",
            "    spec:",
            "      hard:",
            "        limits.nvidia.com/gpumem: {value: 1}",
            "  - spec: {hard: {limits.nvidia.com/gpumem: 1}}"));

    var loaded = SnapshotFiles.load(dir, "nvidia.com/gpu", Fixtures.CLOCK, f -> Optional.empty());
    var cluster = loaded.toCluster();

    assertThat(cluster.quotas().objects("team-a").get("gpu"))
        .containsEntry("limits.nvidia.com/gpumem", "10000")
        .containsEntry("limits.nvidia.com/gpucores", "200")
        .doesNotContainKey("requests.cpu");
    assertThat(cluster.quotas().objects("default")).isEmpty();
    assertThat(loaded.skipped())
        .anySatisfy(
            s ->
                assertThat(s)
                    .contains("ResourceQuota default/odd spec.hard[\"limits.nvidia.com/gpumem\"]")
                    .contains("not a quantity"))
        .anySatisfy(s -> assertThat(s).contains("ResourceQuota skipped: metadata.name is missing"));
  }
}
