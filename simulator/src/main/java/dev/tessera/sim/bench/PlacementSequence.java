package dev.tessera.sim.bench;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A scheduling sequence: pod i (alternating 8,000 and 16,000 MiB shares of one GPU at 30 % cores,
 * each with its own name) on snapshot i, which is snapshot i-1 with pod i-1 placed where an oracle
 * put it, so one node changes per step, as in a scheduler's stream of pending pods.
 *
 * @param pods the pod of each step
 * @param snapshots the cluster each step decides on
 * @param chosen the oracle's node at each step, empty where nothing fit
 */
public record PlacementSequence(
    List<PodRequest> pods, List<ClusterSnapshot> snapshots, List<Optional<String>> chosen) {

  /** Steps of a sequence: enough distinct pods that warm caches see new shapes and nodes. */
  public static final int STEPS = 64;

  /** An oracle's placement of a pod: node and devices per container, or empty when none fits. */
  @FunctionalInterface
  public interface Oracle {
    Optional<Choice> place(PodRequest pod, ClusterSnapshot snapshot);
  }

  /** Where an oracle placed a pod. */
  public record Choice(String node, List<List<ContainerDevice>> containers) {}

  public PlacementSequence {
    pods = List.copyOf(pods);
    snapshots = List.copyOf(snapshots);
    chosen = List.copyOf(chosen);
  }

  /**
   * The {@link #STEPS}-step sequence from {@code start}, each pod placed as {@code oracle} says.
   */
  public static PlacementSequence of(ClusterSnapshot start, Oracle oracle) {
    var pods = new ArrayList<PodRequest>(STEPS);
    var snapshots = new ArrayList<ClusterSnapshot>(STEPS);
    var chosen = new ArrayList<Optional<String>>(STEPS);
    ClusterSnapshot s = start;
    for (int i = 0; i < STEPS; i++) {
      int mem = i % 2 == 0 ? 8000 : 16000;
      PodRequest p =
          BenchCluster.pod("seq-" + i, new GpuRequest(1, GpuRequest.NVIDIA, mem, 101, 30));
      pods.add(p);
      snapshots.add(s);
      Optional<Choice> c = oracle.place(p, s);
      chosen.add(c.map(Choice::node));
      if (c.isPresent()) {
        s = s.assume(new Placement(p.key(), p.uid(), c.get().node(), 0, c.get().containers()));
      }
    }
    return new PlacementSequence(pods, snapshots, chosen);
  }

  /** Number of steps. */
  public int size() {
    return pods.size();
  }
}
