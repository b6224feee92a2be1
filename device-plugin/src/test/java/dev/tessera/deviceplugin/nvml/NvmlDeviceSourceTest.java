package dev.tessera.deviceplugin.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.deviceplugin.server.DeviceSourceException;
import dev.tessera.deviceplugin.server.GpuInfo;
import dev.tessera.deviceplugin.topology.LinkType;
import dev.tessera.deviceplugin.topology.NvLinks;
import dev.tessera.deviceplugin.topology.PairScoring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvmlDeviceSourceTest {
  private static final String A = "GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448";
  private static final String B = "GPU-7f1d2e3c-aaaa-bbbb-cccc-ddddeeeeffff";
  private static final String BUS_A = "00000000:3B:00.0";
  private static final String BUS_B = "00000000:AF:00.0";
  private static final long GIB16 = 16L * 1024 * 1024 * 1024;

  @TempDir Path sysfs;

  private FakeNvml twoGpus(List<NvLinks.Port> linksA, List<NvLinks.Port> linksB) {
    return new FakeNvml()
        .add(new FakeNvml.Gpu(A, "Tesla T4", GIB16 - 1, BUS_A, OptionalInt.empty(), linksA))
        .add(
            new FakeNvml.Gpu(
                B, "NVIDIA A100-SXM4-40GB", 40L << 30, BUS_B, OptionalInt.of(1), linksB));
  }

  private void numa(String sysfsName, String content) throws IOException {
    Files.createDirectories(sysfs.resolve(sysfsName));
    Files.writeString(sysfs.resolve(sysfsName).resolve("numa_node"), content);
  }

  @Test
  void mapsNvmlAnswersToGpusWithMemoryInMibAndNumaFromSysfs() throws IOException {
    numa("0000:3b:00.0", "1\n");
    numa("0000:af:00.0", "-1\n");
    var source = new NvmlDeviceSource(twoGpus(List.of(), List.of()), sysfs);

    assertThat(source.devices())
        .containsExactly(
            new GpuInfo(A, 0, "Tesla T4", 16383, OptionalInt.of(1), true),
            new GpuInfo(B, 1, "NVIDIA A100-SXM4-40GB", 40960, OptionalInt.empty(), true));
    assertThat(source.migEnabledGpus()).containsExactly(B);
  }

  @Test
  void missingNumaFileMeansUnknownNode() {
    var source = new NvmlDeviceSource(twoGpus(List.of(), List.of()), sysfs);
    assertThat(source.devices()).allSatisfy(g -> assertThat(g.numa()).isEmpty());
  }

  @Test
  void aGpuThatStopsAnsweringIsReportedUnhealthyUnderItsLastIdentity() {
    var nvml = twoGpus(List.of(), List.of());
    var source = new NvmlDeviceSource(nvml, sysfs);
    source.devices();

    nvml.lost.add(1);

    assertThat(source.devices())
        .extracting(GpuInfo::uuid, GpuInfo::healthy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(A, true),
            org.assertj.core.groups.Tuple.tuple(B, false));
  }

  @Test
  void aGpuThatNeverAnsweredFailsTheListingNamingItsIndex() {
    var nvml = twoGpus(List.of(), List.of());
    nvml.lost.add(1);
    var source = new NvmlDeviceSource(nvml, sysfs);

    assertThatThrownBy(source::devices)
        .isInstanceOf(DeviceSourceException.class)
        .hasMessageContaining("GPU index 1")
        .hasMessageContaining("GPU is lost");
  }

  @Test
  void countFailureIsADeviceSourceError() {
    var nvml = twoGpus(List.of(), List.of());
    nvml.countFails = true;
    assertThatThrownBy(new NvmlDeviceSource(nvml, sysfs)::devices)
        .isInstanceOf(DeviceSourceException.class)
        .hasMessageContaining("nvmlDeviceGetCount_v2")
        .hasMessageContaining("Driver Not Loaded");
  }

  @Test
  void linksCombinePcieLevelAndDirectNvLinksIntoHamiPairScores() {
    var nvml =
        twoGpus(
            List.of(new NvLinks.Port(BUS_B, false), new NvLinks.Port(BUS_B, false)),
            List.of(new NvLinks.Port(BUS_A, false), new NvLinks.Port(BUS_A, false)));
    nvml.topology.put(List.of(0, 1), Nvml.TOPOLOGY_NODE);
    var source = new NvmlDeviceSource(nvml, sysfs);

    var links = source.links();

    assertThat(links.get(0).towards(1)).containsExactly(LinkType.SAME_CPU, LinkType.NVLINK_2);
    var scores = PairScoring.scores(links);
    assertThat(scores.score(A, B)).isEqualTo(220);
    assertThat(scores.score(B, A)).isEqualTo(220);
  }

  @Test
  void gpusBehindNvSwitchesScoreTheSmallerSwitchLinkCount() {
    var nvml =
        twoGpus(
            List.of(
                new NvLinks.Port("00000000:C1:00.0", true),
                new NvLinks.Port("00000000:C2:00.0", true),
                new NvLinks.Port("00000000:C3:00.0", true)),
            List.of(
                new NvLinks.Port("00000000:C1:00.0", true),
                new NvLinks.Port("00000000:C2:00.0", true)));
    var scores = PairScoring.scores(new NvmlDeviceSource(nvml, sysfs).links());
    assertThat(scores.score(A, B)).isEqualTo(10 + 200);
  }

  @Test
  void everyNvmlTopologyLevelMapsToHamisPcieLink() {
    assertThat(NvmlDeviceSource.p2pLink(Nvml.TOPOLOGY_INTERNAL)).contains(LinkType.SAME_BOARD);
    assertThat(NvmlDeviceSource.p2pLink(Nvml.TOPOLOGY_SINGLE)).contains(LinkType.SINGLE_SWITCH);
    assertThat(NvmlDeviceSource.p2pLink(Nvml.TOPOLOGY_MULTIPLE)).contains(LinkType.MULTI_SWITCH);
    assertThat(NvmlDeviceSource.p2pLink(Nvml.TOPOLOGY_HOSTBRIDGE)).contains(LinkType.HOST_BRIDGE);
    assertThat(NvmlDeviceSource.p2pLink(Nvml.TOPOLOGY_NODE)).contains(LinkType.SAME_CPU);
    assertThat(NvmlDeviceSource.p2pLink(Nvml.TOPOLOGY_SYSTEM)).contains(LinkType.CROSS_CPU);
    assertThat(NvmlDeviceSource.p2pLink(60)).isEmpty();
  }

  @Test
  void closeShutsNvmlDown() {
    var nvml = twoGpus(List.of(), List.of());
    new NvmlDeviceSource(nvml, sysfs).close();
    assertThat(nvml.closed).isTrue();
  }

  @Test
  void absentLibraryIsATypedErrorNamingItAndTheFileAlternative() {
    assertThatThrownBy(() -> JnaNvml.open("libnvidia-ml-absent.so.1"))
        .isInstanceOf(NvmlUnavailableException.class)
        .isInstanceOf(DeviceSourceException.class)
        .hasMessageContaining("libnvidia-ml-absent.so.1")
        .hasMessageContaining("NVIDIA driver")
        .hasMessageContaining("--device-source file:PATH")
        .hasMessageNotContaining("\n");
  }

  @Test
  void busIdIsReadFromThePciInfoStructLayout() {
    byte[] pci = new byte[JnaNvml.PCI_INFO_SIZE];
    byte[] legacy = "0000:3B:00.0".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(legacy, 0, pci, 0, legacy.length);
    byte[] id = BUS_A.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(id, 0, pci, 36, id.length);
    assertThat(JnaNvml.busId(pci)).isEqualTo(BUS_A);
  }

  private static void awaitDevices(NvmlDeviceSource source, Predicate<List<GpuInfo>> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.test(source.devices())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached; devices: " + source.devices());
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aCriticalXidMarksItsGpuUnhealthyWhileApplicationXidsAreIgnored() throws Exception {
    var nvml = twoGpus(List.of(), List.of());
    var source = new NvmlDeviceSource(nvml, sysfs);
    source.devices();
    source.startXidWatch(XidFilter.defaults());

    nvml.events.add(new Nvml.XidEvent(0, 13)); // application error: ignored
    nvml.events.add(new Nvml.XidEvent(1, 79)); // fell off the bus

    awaitDevices(source, d -> !d.get(1).healthy());
    assertThat(source.devices().get(0).healthy()).isTrue();
    source.close();
    assertThat(nvml.eventsClosed).isTrue();
    assertThat(nvml.closed).isTrue();
  }

  @Test
  void anXidOnAnUnidentifiedGpuOrAFailedWaitMarksEveryGpuUnhealthy() throws Exception {
    var nvml = twoGpus(List.of(), List.of());
    var source = new NvmlDeviceSource(nvml, sysfs);
    source.devices();
    source.startXidWatch(XidFilter.defaults());
    nvml.events.add(new Nvml.XidEvent(-1, 48));
    awaitDevices(source, d -> d.stream().noneMatch(GpuInfo::healthy));
    source.close();

    var failing = twoGpus(List.of(), List.of());
    var second = new NvmlDeviceSource(failing, sysfs);
    second.devices();
    second.startXidWatch(XidFilter.defaults());
    failing.events.add(new Nvml.XidEvent(0, -1));
    awaitDevices(second, d -> d.stream().noneMatch(GpuInfo::healthy));
    second.close();
  }

  @Test
  void healthcheckEnvironmentChangesTheXidSet() {
    assertThat(XidFilter.defaults().marksUnhealthy(13)).isFalse();
    assertThat(XidFilter.defaults().marksUnhealthy(79)).isTrue();

    var off = XidFilter.fromEnv(Optional.of("xids"), Optional.empty());
    assertThat(off.enabled()).isFalse();
    assertThat(off.marksUnhealthy(79)).isFalse();
    assertThat(XidFilter.fromEnv(Optional.of("all"), Optional.empty()).enabled()).isFalse();

    var more = XidFilter.fromEnv(Optional.of("79, 48,bogus"), Optional.of("13"));
    assertThat(more.marksUnhealthy(79)).isFalse();
    assertThat(more.marksUnhealthy(48)).isFalse();
    assertThat(more.marksUnhealthy(13)).isTrue();
    assertThat(more.marksUnhealthy(31)).isFalse();

    var every = XidFilter.fromEnv(Optional.empty(), Optional.of("all"));
    assertThat(every.marksUnhealthy(13)).isTrue();
  }
}
