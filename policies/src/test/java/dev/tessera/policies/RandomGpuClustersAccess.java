package dev.tessera.policies;

import dev.tessera.engine.model.PodRequest;
import dev.tessera.engine.snapshot.ClusterSnapshot;

/** {@link RandomGpuClusters} for tests in other packages. */
public final class RandomGpuClustersAccess {
  private final RandomGpuClusters gen;

  public RandomGpuClustersAccess(long seed) {
    gen = new RandomGpuClusters(seed);
  }

  public ClusterSnapshot snapshot() {
    return gen.snapshot();
  }

  public PodRequest pod(int i) {
    return gen.pod(i);
  }
}
