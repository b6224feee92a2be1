package dev.tessera.deviceplugin.nvml;

import dev.tessera.deviceplugin.topology.NvLinks;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The NVML queries the plugin needs, by GPU index. {@link JnaNvml} calls the native library; tests
 * use a fake. Every method throws {@link NvmlException} when NVML returns an error.
 */
public interface Nvml extends AutoCloseable {
  /** NVML's {@code nvmlGpuTopologyLevel_t} values, the common ancestor of two GPUs. */
  int TOPOLOGY_INTERNAL = 0;

  int TOPOLOGY_SINGLE = 10;
  int TOPOLOGY_MULTIPLE = 20;
  int TOPOLOGY_HOSTBRIDGE = 30;
  int TOPOLOGY_NODE = 40;
  int TOPOLOGY_SYSTEM = 50;

  /** Number of GPUs NVML sees (including ones the plugin later filters). */
  int deviceCount();

  /** The GPU's UUID, {@code GPU-…}. */
  String uuid(int index);

  /** The GPU's model name, e.g. {@code Tesla T4} or {@code NVIDIA A100-SXM4-40GB}. */
  String name(int index);

  /** Total framebuffer memory, bytes. */
  long memoryTotalBytes(int index);

  /** PCI bus id as NVML reports it, e.g. {@code 00000000:3B:00.0}. */
  String pciBusId(int index);

  /** The GPU's current MIG mode: 1 enabled, 0 disabled; empty when the GPU does not support MIG. */
  OptionalInt currentMigMode(int index);

  /** NVML's topology level between two GPUs, one of the {@code TOPOLOGY_*} constants. */
  int topologyCommonAncestor(int a, int b);

  /** The GPU's active NVLinks and what each connects to; empty when it has none. */
  List<NvLinks.Port> activeNvLinks(int index);

  /**
   * Subscribes to XID critical-error events on every GPU that supports them.
   *
   * @throws NvmlException when the event set cannot be created
   */
  XidEvents xidEvents();

  /** One XID critical error: the GPU's index (-1 when NVML did not say which) and the XID. */
  record XidEvent(int index, long xid) {}

  /** A subscription to XID events; close it before NVML. */
  interface XidEvents extends AutoCloseable {
    /**
     * Waits up to {@code timeoutMillis} for the next event.
     *
     * @return empty when none arrived in time
     * @throws NvmlException when waiting fails
     */
    Optional<XidEvent> await(int timeoutMillis);

    @Override
    void close();
  }

  /** Shuts NVML down; further calls fail. */
  @Override
  void close();
}
