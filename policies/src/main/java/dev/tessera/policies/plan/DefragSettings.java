package dev.tessera.policies.plan;

/**
 * Limits of a defragmentation plan, a problem fact.
 *
 * @param maxMoves most pods the plan may move
 */
public record DefragSettings(int maxMoves) {
  public DefragSettings {
    if (maxMoves < 0) {
      throw new IllegalArgumentException("maxMoves must be >= 0, got " + maxMoves);
    }
  }
}
