package dev.tessera.engine.testing;

import java.util.Map;
import java.util.Set;

/**
 * Which module's conformance test runs which vector kinds. The engine owns everything except the
 * node-side behaviour of the device plugin. {@code VectorCoverageTest} checks that every case in
 * the vector files has an owner.
 */
public final class VectorKinds {
  public static final String ENGINE = "engine";
  public static final String DEVICE_PLUGIN = "device-plugin";

  private static final Map<String, Set<String>> DEVICE_PLUGIN_KINDS =
      Map.of(
          "device-plugin.json",
          Set.of(
              "device_plugin_allocate",
              "pop_next_container_devices",
              "pop_next_container_devices_sequence",
              "next_device_request",
              "physical_device_id",
              "preferred_allocation",
              "filter_device_to_register",
              "device_plugin_node_config"),
          "topology.json",
          Set.of(
              "gpu_pair_scores",
              "gpu_pair_score",
              "nvlink_count_to_score",
              "count_matching_links",
              "nvlink_between"));

  private VectorKinds() {}

  /** The module whose conformance test owns {@code kind} in {@code file}. */
  public static String owner(String file, String kind) {
    return DEVICE_PLUGIN_KINDS.getOrDefault(file, Set.of()).contains(kind) ? DEVICE_PLUGIN : ENGINE;
  }
}
