package dev.tessera.engine.model;

/** A MIG placement: the GPU slice range [start, start + size) that one MIG instance occupies. */
public record MigPlacement(int start, int size) {
  /** True when the two slice ranges share at least one slice. */
  public boolean overlaps(MigPlacement other) {
    return start < other.start + other.size && other.start < start + size;
  }
}
