package dev.tessera.policies.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What rules know about where the engine's fit would put the pod on one node: how busy, how well
 * linked and how NUMA-local the chosen GPUs are, and whose pods already use them. Computed once per
 * node in Java ({@link FeatureExtractor#placement}); rules only read it. A node the pod does not
 * fit on has {@code fits == false} and zeros.
 *
 * @param node node name
 * @param fits whether the engine found devices for every container
 * @param gpus GPUs chosen, over all containers
 * @param deviceScore mean HAMi device score (hami-compat §7.3) of the chosen GPUs before the pod,
 *     each for its container's request with the pod's {@code hami.io/device-scoring-weights}; 0
 *     when none. Higher is busier; 0..30 with the default weights
 * @param pairScore GPU link score of the placement: per container Σ over i&lt;j of the node's pair
 *     score ({@code hami.io/node-nvidia-score}) from its i-th to its j-th chosen GPU, summed over
 *     containers; NVLink scores 100 per link, PCIe 10..60, unknown pairs 0
 * @param numaNodes distinct NUMA nodes among the chosen GPUs; 0 when none
 * @param tenant the pod's tenant: its namespace
 * @param chosenGpuTenants tenants (namespaces) of the pods already holding any chosen GPU, sorted,
 *     without duplicates
 */
public record PlacementFeatures(
    String node,
    boolean fits,
    int gpus,
    double deviceScore,
    long pairScore,
    int numaNodes,
    String tenant,
    List<String> chosenGpuTenants) {
  public PlacementFeatures {
    Objects.requireNonNull(node, "node");
    tenant = tenant == null ? "" : tenant;
    chosenGpuTenants = List.copyOf(chosenGpuTenants);
  }

  /** Whether at least one GPU is chosen and all chosen GPUs sit on one NUMA node. */
  public boolean sharesNuma() {
    return gpus > 0 && numaNodes == 1;
  }

  /** Tenants other than the pod's own already holding a chosen GPU, sorted. */
  public List<String> otherTenants() {
    var out = new ArrayList<String>(chosenGpuTenants.size());
    for (String t : chosenGpuTenants) {
      if (!t.equals(tenant)) {
        out.add(t);
      }
    }
    return out;
  }

  /** Whether a chosen GPU already holds a pod of another tenant. */
  public boolean mixesTenants() {
    for (String t : chosenGpuTenants) {
      if (!t.equals(tenant)) {
        return true;
      }
    }
    return false;
  }
}
