package dev.tessera.sim.trace;

import java.util.List;

/**
 * A cluster trace: the nodes and the pods that arrive (and maybe leave) over time, in the file's
 * order.
 *
 * @param source where it was read from, for messages (a path, or {@code openb:<file>})
 * @param nodes nodes, in file order
 * @param pods pods, in file order
 * @param skippedRows rows skipped as bad with {@code --skip-bad-rows}
 */
public record Trace(String source, List<TraceNode> nodes, List<TracePod> pods, int skippedRows) {
  public Trace {
    nodes = List.copyOf(nodes);
    pods = List.copyOf(pods);
  }
}
