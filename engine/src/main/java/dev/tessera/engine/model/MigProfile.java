package dev.tessera.engine.model;

import java.util.List;

/**
 * A MIG profile a GPU can be partitioned into, as registered by the device plugin.
 *
 * @param name profile name such as {@code 1g.5gb}
 * @param memoryMiB device memory of one instance, MiB
 * @param cores compute share of one instance, percent of the whole GPU
 * @param sliceCount compute slices one instance uses
 * @param instanceCount how many instances fit; kept by the plugin, never on the wire
 * @param placements where an instance of this profile may start
 */
public record MigProfile(
    String name,
    int memoryMiB,
    int cores,
    int sliceCount,
    int instanceCount,
    List<MigPlacement> placements) {
  public MigProfile {
    placements = List.copyOf(placements);
  }
}
