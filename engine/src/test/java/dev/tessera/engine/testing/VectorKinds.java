package dev.tessera.engine.testing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which conformance test runs which vector kinds, per file. Every kind of every file is listed;
 * {@code VectorCoverageTest} fails on a case whose kind has no owner, and {@link HamiVectors#tests}
 * fails when an owner's test lacks a handler for one of its kinds. Together: every vector runs.
 */
public final class VectorKinds {
  /** Pod/node annotation codecs, node lock, handshake and health, usage accounting. */
  public static final String CODEC = "engine-codec";

  /** Device fit, ordering, scores, topology selection, MIG placement, quota during fit. */
  public static final String FIT = "engine-fit";

  /** Resource requests, admission mutation, webhook decisions, admission quota. */
  public static final String ADMISSION = "engine-admission";

  /** Whole-pod filter over registered nodes (requests + usage + fit together). */
  public static final String FILTER = "engine-filter";

  /** Node side: Allocate, preferred allocation, link scores (device-plugin module). */
  public static final String DEVICE_PLUGIN = "device-plugin";

  private static final Map<String, Map<String, String>> OWNERS =
      Map.ofEntries(
          file(
              "annotation-parsing.json",
              Map.of(
                  FIT,
                  Set.of(
                      "check_uuid",
                      "check_gpu_type",
                      "check_type_with_mode",
                      "numa_bind",
                      "policy_contains",
                      "gpu_policy_for_pod",
                      "parse_device_scoring_weights",
                      "parse_reason"),
                  CODEC,
                  Set.of("pod_namespace_name", "nodelock_expire_env", "node_lock_acquire"))),
          file(
              "calc-score.json",
              Map.of(FIT, Set.of("calc_score", "fit_in_devices"), FILTER, Set.of("filter"))),
          file(
              "device-fit.json",
              Map.of(FIT, Set.of("nvidia_fit", "nvidia_fit_on_node_devices", "sort_then_fit"))),
          file(
              "device-plugin.json",
              Map.of(
                  DEVICE_PLUGIN,
                  Set.of(
                      "device_plugin_allocate",
                      "pop_next_container_devices",
                      "pop_next_container_devices_sequence",
                      "next_device_request",
                      "physical_device_id",
                      "preferred_allocation",
                      "filter_device_to_register",
                      "device_plugin_node_config"))),
          file(
              "gpu-sort-and-score.json",
              Map.of(FIT, Set.of("device_compute_score", "device_list_sort", "device_list_less"))),
          file(
              "mig.json",
              Map.of(
                  FIT,
                  Set.of(
                      "mig_select_placement_sequence",
                      "mig_can_place",
                      "mig_add_resource_usage",
                      "mig_custom_filter",
                      "nvidia_fit",
                      "fit_in_devices",
                      "is_mig_request",
                      "mig_validate_allowlist"),
                  CODEC,
                  Set.of(
                      "mig_allocations_encode_decode",
                      "mig_allocations_decode",
                      "mig_node_usage"))),
          file(
              "node-annotation-codec.json",
              Map.of(
                  CODEC,
                  Set.of(
                      "decode_node_devices_legacy",
                      "encode_node_devices_legacy",
                      "roundtrip_node_devices_legacy",
                      "unmarshal_node_devices_json",
                      "marshal_node_devices_json",
                      "marshal_mig_profile_json",
                      "nvidia_get_node_devices",
                      "decode_pair_scores"))),
          file("node-health.json", Map.of(CODEC, Set.of("handshake_check", "nvidia_node_health"))),
          file("node-score.json", Map.of(FIT, Set.of("node_default_score", "node_list_less"))),
          file(
              "pod-annotation-codec.json",
              Map.of(
                  CODEC,
                  Set.of(
                      "encode_pod_single_device",
                      "decode_pod_devices",
                      "encode_container_devices",
                      "decode_container_devices",
                      "encode_container_device_type",
                      "nvidia_patch_annotations"))),
          file(
              "quota.json",
              Map.of(
                  FIT,
                  Set.of("quota_fit", "quota_usage", "quota_fit_during_fit"),
                  ADMISSION,
                  Set.of("admission_quota"))),
          file(
              "requests-and-admission.json",
              Map.of(
                  ADMISSION,
                  Set.of(
                      "generate_resource_requests",
                      "mutate_admission_container",
                      "webhook_admission"))),
          file(
              "topology.json",
              Map.of(
                  FIT,
                  Set.of(
                      "topology_worst_single_card",
                      "topology_best_combination",
                      "topology_generate_combinations",
                      "nvidia_fit"),
                  DEVICE_PLUGIN,
                  Set.of(
                      "gpu_pair_scores",
                      "gpu_pair_score",
                      "nvlink_count_to_score",
                      "count_matching_links",
                      "nvlink_between"))),
          file(
              "usage-accounting.json",
              Map.of(
                  CODEC,
                  Set.of(
                      "collapse_init_container_usage",
                      "app_containers_only_usage",
                      "node_usage"))));

  private VectorKinds() {}

  private static Map.Entry<String, Map<String, String>> file(
      String name, Map<String, Set<String>> byOwner) {
    var kinds = new java.util.HashMap<String, String>();
    byOwner.forEach((owner, ks) -> ks.forEach(k -> kinds.put(k, owner)));
    return Map.entry(name, Map.copyOf(kinds));
  }

  /** The owner whose conformance test runs {@code kind} in {@code file}, if any. */
  public static Optional<String> owner(String file, String kind) {
    return Optional.ofNullable(OWNERS.getOrDefault(file, Map.of()).get(kind));
  }
}
