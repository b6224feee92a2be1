package dev.tessera.policies.plan;

import dev.tessera.engine.model.ContainerDevice;
import java.util.List;

/**
 * A defragmentation plan: moves to make in order, and what they achieve.
 *
 * @param moves moves in the order they are valid: each target fits (engine fit) once the earlier
 *     moves are made
 * @param fragBefore cluster FGD fragmentation before, Σ over nodes, milli-GPU
 * @param fragAfter the same after every move
 * @param freedGpus whole idle GPUs after minus before (healthy GPUs holding no pod)
 */
public record DefragPlan(
    List<DefragPlan.Move> moves, double fragBefore, double fragAfter, int freedGpus) {
  public DefragPlan {
    moves = List.copyOf(moves);
  }

  /**
   * One pod moved: evicted from {@code from} and re-created on {@code to} holding {@code
   * containers} (what the engine's fit chose there, the same amounts it held before); {@code from}
   * equals {@code to} when it only changes GPUs within its node.
   *
   * @param podKey {@code namespace/name}
   * @param from node it leaves
   * @param to node it goes to
   * @param containers devices it gets on {@code to}, per container
   */
  public record Move(
      String podKey, String from, String to, List<List<ContainerDevice>> containers) {
    public Move {
      containers = containers.stream().map(List::copyOf).toList();
    }
  }
}
