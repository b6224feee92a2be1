package dev.tessera.engine.decision;

import dev.tessera.engine.model.ContainerDevice;
import java.util.List;

/**
 * The outcome of placing one pod: {@link Placed} on one node with concrete devices, or {@link
 * Rejected}. Both carry every node's verdict, so callers can explain the choice.
 */
public sealed interface Decision permits Decision.Placed, Decision.Rejected {
  List<NodeVerdict> verdicts();

  /**
   * The pod goes to {@code node}; {@code containers} lists each container's devices, init first.
   */
  record Placed(String node, List<List<ContainerDevice>> containers, List<NodeVerdict> verdicts)
      implements Decision {
    public Placed {
      containers = Copies.deep(containers);
      verdicts = List.copyOf(verdicts);
    }
  }

  /** No node fits; each verdict says why. */
  record Rejected(List<NodeVerdict> verdicts) implements Decision {
    public Rejected {
      verdicts = List.copyOf(verdicts);
    }
  }

  static Decision placed(
      String node, List<List<ContainerDevice>> containers, List<NodeVerdict> verdicts) {
    return new Placed(node, containers, verdicts);
  }

  static Decision rejected(List<NodeVerdict> verdicts) {
    return new Rejected(verdicts);
  }
}
