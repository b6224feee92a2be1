package dev.tessera.cli;

import dev.tessera.cli.io.ClusterLoader;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --cluster FILE}, the cluster file the offline commands decide on (a picocli mixin). */
final class ClusterOption {
  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "FILE",
      description = "Cluster file: nodes, GPUs and running pods (docs/user-guide.md).")
  Path cluster;

  /** The cluster file as a snapshot; a malformed file fails naming its line and field. */
  ClusterSnapshot load() {
    return ClusterLoader.load(cluster);
  }
}
