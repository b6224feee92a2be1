package dev.tessera.deviceplugin.nvml;

import dev.tessera.deviceplugin.topology.NvLinks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** NVML answers from memory; a GPU can be made to fail every query like a lost GPU. */
final class FakeNvml implements Nvml {
  record Gpu(
      String uuid,
      String name,
      long memoryBytes,
      String busId,
      OptionalInt migMode,
      List<NvLinks.Port> links) {}

  final List<Gpu> gpus = new ArrayList<>();
  final Map<List<Integer>, Integer> topology = new HashMap<>();
  final Set<Integer> lost = new HashSet<>();
  boolean countFails;
  boolean closed;
  boolean eventsClosed;

  /** Events the XID subscription delivers; an {@code XidEvent} with xid -1 makes the wait fail. */
  final LinkedBlockingQueue<XidEvent> events = new LinkedBlockingQueue<>();

  FakeNvml add(Gpu g) {
    gpus.add(g);
    return this;
  }

  private Gpu gpu(int index) {
    if (lost.contains(index)) {
      throw new NvmlException(
          "nvmlDeviceGetHandleByIndex_v2", NvmlException.GPU_IS_LOST, "GPU is lost");
    }
    return gpus.get(index);
  }

  @Override
  public int deviceCount() {
    if (countFails) {
      throw new NvmlException("nvmlDeviceGetCount_v2", 9, "Driver Not Loaded");
    }
    return gpus.size();
  }

  @Override
  public String uuid(int index) {
    return gpu(index).uuid();
  }

  @Override
  public String name(int index) {
    return gpu(index).name();
  }

  @Override
  public long memoryTotalBytes(int index) {
    return gpu(index).memoryBytes();
  }

  @Override
  public String pciBusId(int index) {
    return gpu(index).busId();
  }

  @Override
  public OptionalInt currentMigMode(int index) {
    return gpu(index).migMode();
  }

  @Override
  public int topologyCommonAncestor(int a, int b) {
    gpu(a);
    gpu(b);
    return topology.getOrDefault(List.of(Math.min(a, b), Math.max(a, b)), TOPOLOGY_SYSTEM);
  }

  @Override
  public List<NvLinks.Port> activeNvLinks(int index) {
    return gpu(index).links();
  }

  @Override
  public XidEvents xidEvents() {
    return new XidEvents() {
      @Override
      public Optional<XidEvent> await(int timeoutMillis) {
        try {
          var e = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
          if (e != null && e.xid() < 0) {
            throw new NvmlException("nvmlEventSetWait_v2", 999, "Unknown Error");
          }
          return Optional.ofNullable(e);
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }

      @Override
      public void close() {
        eventsClosed = true;
      }
    };
  }

  @Override
  public void close() {
    closed = true;
  }
}
