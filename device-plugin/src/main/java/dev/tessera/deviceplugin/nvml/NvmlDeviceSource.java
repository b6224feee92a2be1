package dev.tessera.deviceplugin.nvml;

import dev.tessera.deviceplugin.server.DeviceSource;
import dev.tessera.deviceplugin.server.DeviceSourceException;
import dev.tessera.deviceplugin.server.GpuInfo;
import dev.tessera.deviceplugin.topology.GpuLinks;
import dev.tessera.deviceplugin.topology.LinkType;
import dev.tessera.deviceplugin.topology.NvLinks;
import dev.tessera.deviceplugin.topology.TopologySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The node's GPUs as NVML reports them (hami-compat §3.1.1, §8.2): UUID, model name, total memory
 * in MiB, and the NUMA node from {@code /sys/bus/pci/devices/<bus id>/numa_node}. A GPU that was
 * listed before and now fails an NVML query (e.g. {@code GPU_IS_LOST}) is reported unhealthy under
 * its last known identity; the server keeps it unhealthy until the plugin restarts. Also the {@link
 * TopologySource} for pair scores: NVML's common-ancestor level plus NVLinks.
 *
 * <p>{@link #startXidWatch} adds NVML's XID critical-error events (§8.2): a GPU with an XID the
 * {@link XidFilter} counts is reported unhealthy from then on; an error while waiting marks every
 * GPU unhealthy, as HAMi does, and ends the watch.
 */
public final class NvmlDeviceSource implements DeviceSource, TopologySource, AutoCloseable {
  /** Where sysfs lists PCI devices on a Linux host. */
  public static final Path SYSFS_PCI_DEVICES = Path.of("/sys/bus/pci/devices");

  private static final System.Logger LOG = System.getLogger(NvmlDeviceSource.class.getName());
  private static final long MIB = 1024L * 1024L;

  private final Nvml nvml;
  private final Path pciDevices;
  // Last successful reading per NVML index, so a GPU that stops answering is reported unhealthy.
  private final Map<Integer, GpuInfo> lastKnown = new HashMap<>();
  private final Set<String> migEnabled = new LinkedHashSet<>();
  // NVML indexes an XID event (or a failed wait, ALL) marked unhealthy.
  private final Set<Integer> xidUnhealthy = new java.util.HashSet<>();
  private boolean allUnhealthy;
  private Thread xidWatch;
  private volatile boolean closing;

  /**
   * @param nvml the NVML queries; closed by {@link #close()}
   * @param pciDevices sysfs PCI device directory (normally {@link #SYSFS_PCI_DEVICES})
   */
  public NvmlDeviceSource(Nvml nvml, Path pciDevices) {
    this.nvml = Objects.requireNonNull(nvml);
    this.pciDevices = Objects.requireNonNull(pciDevices);
  }

  /**
   * NVML from {@code libnvidia-ml.so.1} and the host's sysfs.
   *
   * @throws NvmlUnavailableException when the library is absent or NVML does not initialise
   */
  public static NvmlDeviceSource open() {
    return new NvmlDeviceSource(JnaNvml.open(), SYSFS_PCI_DEVICES);
  }

  /**
   * {@inheritDoc}
   *
   * @throws DeviceSourceException when NVML cannot count GPUs, or a GPU never read before cannot be
   *     read now
   */
  @Override
  public synchronized List<GpuInfo> devices() {
    int count;
    try {
      count = nvml.deviceCount();
    } catch (NvmlException e) {
      throw new DeviceSourceException("NVML: cannot count GPUs: " + e.getMessage(), e);
    }
    var out = new ArrayList<GpuInfo>(count);
    for (int i = 0; i < count; i++) {
      try {
        GpuInfo g = read(i);
        lastKnown.put(i, g);
        out.add(allUnhealthy || xidUnhealthy.contains(i) ? g.withHealthy(false) : g);
      } catch (NvmlException e) {
        GpuInfo known = lastKnown.get(i);
        if (known == null) {
          throw new DeviceSourceException("NVML: GPU index " + i + ": " + e.getMessage(), e);
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "GPU " + known.uuid() + " (index " + i + ") marked unhealthy: " + e.getMessage());
        out.add(known.withHealthy(false));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Starts watching XID events in a background thread (nothing when {@code filter} is disabled).
   *
   * @throws NvmlException when NVML cannot subscribe to events
   */
  public synchronized void startXidWatch(XidFilter filter) {
    if (!filter.enabled() || xidWatch != null) {
      return;
    }
    Nvml.XidEvents events = nvml.xidEvents();
    xidWatch =
        new Thread(
            () -> {
              try (events) {
                watch(events, filter);
              }
            },
            "nvml-xid-watch");
    xidWatch.setDaemon(true);
    xidWatch.start();
  }

  private void watch(Nvml.XidEvents events, XidFilter filter) {
    while (!closing) {
      Optional<Nvml.XidEvent> event;
      try {
        event = events.await(1000);
      } catch (NvmlException e) {
        if (!closing) {
          LOG.log(
              System.Logger.Level.ERROR,
              "waiting for NVML XID events failed, marking every GPU unhealthy: " + e.getMessage());
          synchronized (this) {
            allUnhealthy = true;
          }
        }
        return;
      }
      if (event.isEmpty() || !filter.marksUnhealthy(event.get().xid())) {
        continue;
      }
      int index = event.get().index();
      synchronized (this) {
        GpuInfo known = lastKnown.get(index);
        LOG.log(
            System.Logger.Level.WARNING,
            "XID "
                + event.get().xid()
                + " on "
                + (index < 0
                    ? "an unidentified GPU: marking every GPU"
                    : "GPU " + (known == null ? "index " + index : known.uuid()) + ": marking it")
                + " unhealthy");
        if (index < 0) {
          allUnhealthy = true;
        } else {
          xidUnhealthy.add(index);
        }
      }
    }
  }

  /** UUIDs of the GPUs whose current MIG mode is enabled, as of the last {@link #devices()}. */
  public synchronized Set<String> migEnabledGpus() {
    return Set.copyOf(migEnabled);
  }

  private GpuInfo read(int index) {
    String uuid = nvml.uuid(index);
    String name = nvml.name(index);
    long memoryMiB = nvml.memoryTotalBytes(index) / MIB;
    OptionalInt numa = numaNode(nvml.pciBusId(index));
    if (nvml.currentMigMode(index).orElse(0) == 1) {
      migEnabled.add(uuid);
    } else {
      migEnabled.remove(uuid);
    }
    return new GpuInfo(uuid, index, name, memoryMiB, numa, true);
  }

  // As HAMi: lower-cased bus id without one leading "0000"; unreadable or negative = unknown.
  OptionalInt numaNode(String busId) {
    Path file = pciDevices.resolve(NvLinks.normalizeBusId(busId)).resolve("numa_node");
    try {
      int node = Integer.parseInt(Files.readString(file).trim());
      return node < 0 ? OptionalInt.empty() : OptionalInt.of(node);
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each pair gets its PCIe-topology entry (NVML common ancestor) and, when NVLinks connect them
   * directly or through NVSwitches, one NVLink entry ({@link NvLinks#linkType}).
   *
   * @throws DeviceSourceException when an NVML query fails
   */
  @Override
  public synchronized List<GpuLinks> links() {
    try {
      int count = nvml.deviceCount();
      var uuids = new ArrayList<String>(count);
      var nv = new ArrayList<NvLinks.Gpu>(count);
      for (int i = 0; i < count; i++) {
        uuids.add(nvml.uuid(i));
        nv.add(new NvLinks.Gpu(nvml.pciBusId(i), nvml.activeNvLinks(i)));
      }
      var out = new ArrayList<GpuLinks>(count);
      for (int a = 0; a < count; a++) {
        var byPeer = new HashMap<Integer, List<LinkType>>();
        for (int b = 0; b < count; b++) {
          if (a == b) {
            continue;
          }
          var entries = new ArrayList<LinkType>(2);
          p2pLink(nvml.topologyCommonAncestor(a, b)).ifPresent(entries::add);
          NvLinks.linkType(nv.get(a), nv.get(b)).ifPresent(entries::add);
          byPeer.put(b, entries);
        }
        out.add(new GpuLinks(uuids.get(a), a, byPeer));
      }
      return List.copyOf(out);
    } catch (NvmlException e) {
      throw new DeviceSourceException("NVML: cannot read GPU topology: " + e.getMessage(), e);
    }
  }

  /** The PCIe link entry for an NVML topology level; empty for a level NVML added later. */
  public static Optional<LinkType> p2pLink(int level) {
    return switch (level) {
      case Nvml.TOPOLOGY_INTERNAL -> Optional.of(LinkType.SAME_BOARD);
      case Nvml.TOPOLOGY_SINGLE -> Optional.of(LinkType.SINGLE_SWITCH);
      case Nvml.TOPOLOGY_MULTIPLE -> Optional.of(LinkType.MULTI_SWITCH);
      case Nvml.TOPOLOGY_HOSTBRIDGE -> Optional.of(LinkType.HOST_BRIDGE);
      case Nvml.TOPOLOGY_NODE -> Optional.of(LinkType.SAME_CPU);
      case Nvml.TOPOLOGY_SYSTEM -> Optional.of(LinkType.CROSS_CPU);
      default -> Optional.empty();
    };
  }

  /** Stops the XID watch (waiting for its thread), then shuts NVML down. */
  @Override
  public void close() {
    closing = true;
    Thread watch;
    synchronized (this) {
      watch = xidWatch;
    }
    if (watch != null) {
      try {
        watch.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    nvml.close();
  }
}
