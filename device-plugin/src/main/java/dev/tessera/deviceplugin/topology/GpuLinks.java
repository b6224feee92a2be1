package dev.tessera.deviceplugin.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One GPU's link entries towards each peer GPU, as discovered from NVML (hami-compat §3.2).
 *
 * @param uuid GPU UUID
 * @param index NVML index
 * @param linksByPeerIndex for each peer's NVML index, every link entry from this GPU towards it
 *     (normally one PCIe-topology entry plus one NVLink entry when NVLinks exist)
 */
public record GpuLinks(String uuid, int index, Map<Integer, List<LinkType>> linksByPeerIndex) {
  public GpuLinks {
    Objects.requireNonNull(uuid, "uuid");
    var copy = new HashMap<Integer, List<LinkType>>();
    linksByPeerIndex.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    linksByPeerIndex = Map.copyOf(copy);
  }

  /** Entries towards the GPU with NVML index {@code peerIndex}; empty when none. */
  public List<LinkType> towards(int peerIndex) {
    return linksByPeerIndex.getOrDefault(peerIndex, List.of());
  }
}
