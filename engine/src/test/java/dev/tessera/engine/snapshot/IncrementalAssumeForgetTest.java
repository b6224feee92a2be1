package dev.tessera.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.MigPlacement;
import dev.tessera.engine.model.MigProfile;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.usage.NodeUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * assume/forget update a node's usage with the pod's own booking instead of recomputing it; over
 * many seeded random clusters and assume/forget sequences the result must equal a snapshot built
 * from scratch with the same placements (and {@link NodeUsage#compute} over the node's pods).
 */
class IncrementalAssumeForgetTest {
  private static final int SEEDS = 300;
  private static final int STEPS = 60;

  @Test
  void assumeAndForgetMatchARebuiltSnapshotOverRandomSequences() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Random rnd = new Random(seed);
      List<Node> nodes = randomNodes(rnd);
      var placed = new LinkedHashMap<String, Placement>();
      List<Placement> initial = new ArrayList<>();
      int podSeq = 0;
      for (int i = 0; i < 1 + rnd.nextInt(6); i++) {
        Placement p = randomPlacement(rnd, nodes, "ns/init-" + i);
        initial.add(p);
        placed.put(p.podKey(), p);
      }
      ClusterSnapshot snap = ClusterSnapshot.of(nodes, initial);
      for (int step = 0; step < STEPS; step++) {
        if (!placed.isEmpty() && rnd.nextInt(3) == 0) {
          var keys = new ArrayList<>(placed.keySet());
          String key = keys.get(rnd.nextInt(keys.size()));
          snap = snap.forget(key);
          placed.remove(key);
        } else if (rnd.nextInt(10) == 0) {
          snap = snap.forget("ns/never-placed");
        } else {
          Placement p =
              randomPlacement(rnd, nodes, (podSeq % 2 == 0 ? "ns" : "other") + "/p-" + podSeq++);
          snap = snap.assume(p);
          placed.put(p.podKey(), p);
        }
        assertSameAsRebuilt(seed, step, nodes, placed, snap);
      }
    }
  }

  private static void assertSameAsRebuilt(
      long seed, int step, List<Node> nodes, Map<String, Placement> placed, ClusterSnapshot snap) {
    ClusterSnapshot rebuilt = ClusterSnapshot.of(nodes, new ArrayList<>(placed.values()));
    String where = "seed " + seed + " step " + step;
    assertThat(snap.podCount()).as(where).isEqualTo(placed.size());
    for (String ns : List.of("ns", "other", "absent")) {
      assertThat(snap.namespaceUsage(ns))
          .as(where + " namespace " + ns)
          .isEqualTo(rebuilt.namespaceUsage(ns));
    }
    for (Placement p : placed.values()) {
      assertThat(snap.nodeOf(p.podKey())).as(where).contains(p.node());
    }
    assertThat(snap.nodes()).as(where).hasSameSizeAs(rebuilt.nodes());
    for (int i = 0; i < nodes.size(); i++) {
      var mine = snap.nodes().get(i);
      var fresh = rebuilt.nodes().get(i);
      assertThat(mine.node()).as(where).isEqualTo(fresh.node());
      assertThat(mine.pods()).as(where).containsExactlyInAnyOrderElementsOf(fresh.pods());
      assertThat(mine.usage()).as(where + " node " + i).isEqualTo(fresh.usage());
      assertThat(mine.usage())
          .as(where + " node " + i + " vs compute")
          .isEqualTo(NodeUsage.compute(mine.node().devices(), mine.pods()));
      assertThat(snap.node(mine.node().name())).as(where).contains(mine);
    }
  }

  private static List<Node> randomNodes(Random rnd) {
    int n = 1 + rnd.nextInt(4);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<GpuDevice> gpus = new ArrayList<>();
      int g = 1 + rnd.nextInt(5);
      for (int j = 0; j < g; j++) {
        // few distinct UUIDs, so duplicates within a node and across nodes occur
        String uuid = "GPU-" + rnd.nextInt(6);
        boolean mig = rnd.nextInt(6) == 0;
        gpus.add(
            new GpuDevice(
                uuid,
                j,
                "NVIDIA A100",
                40960,
                100,
                1 + rnd.nextInt(10),
                rnd.nextInt(2),
                rnd.nextInt(8) != 0,
                mig ? GpuDevice.MODE_MIG : GpuDevice.MODE_HAMI_CORE,
                mig
                    ? List.of(
                        new MigProfile("1g.10gb", 10240, 25, 1, 4, List.of(new MigPlacement(0, 1))))
                    : List.of()));
      }
      nodes.add(Node.of("node-" + i, gpus));
    }
    return nodes;
  }

  private static Placement randomPlacement(Random rnd, List<Node> nodes, String key) {
    Node node = nodes.get(rnd.nextInt(nodes.size()));
    int containers = 1 + rnd.nextInt(3);
    int init = rnd.nextInt(containers + 1);
    List<List<ContainerDevice>> cs = new ArrayList<>();
    for (int c = 0; c < containers; c++) {
      List<ContainerDevice> devs = new ArrayList<>();
      int k = rnd.nextInt(3);
      for (int d = 0; d < k; d++) {
        // sometimes a UUID the node does not register (ignored by accounting)
        String uuid = "GPU-" + rnd.nextInt(8);
        devs.add(
            new ContainerDevice(
                d, uuid, GpuRequest.NVIDIA, rnd.nextInt(20000), rnd.nextInt(101), null));
      }
      cs.add(devs);
    }
    return new Placement(key, "", node.name(), init, cs);
  }
}
