package dev.tessera.engine.decision;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Immutable copies for the decision records, without a stream per verdict (hot path). */
final class Copies {
  private Copies() {}

  /**
   * An unmodifiable copy of {@code lists} whose elements are unmodifiable copies ({@link
   * List#copyOf}, so already-immutable inner lists are reused); throws on {@code null} elements.
   */
  static <T> List<List<T>> deep(List<List<T>> lists) {
    @SuppressWarnings("unchecked")
    List<T>[] out = new List[lists.size()];
    int i = 0;
    for (List<T> l : lists) {
      out[i++] = List.copyOf(l);
    }
    // unmodifiable and null-tolerant on queries, like the Stream.toList() it replaces
    return Collections.unmodifiableList(Arrays.asList(out));
  }
}
