package dev.tessera.engine.features;

/** The FGD simulator's GPU-type constraint (policies.md §3.2). */
public final class GpuTypes {
  private GpuTypes() {}

  /** True iff {@code spec} allows every node, model or not: empty or only empty pieces. */
  public static boolean unconstrained(String spec) {
    if (spec == null) {
      return true;
    }
    for (int i = 0; i < spec.length(); i++) {
      if (spec.charAt(i) != '|') {
        return false;
      }
    }
    return true;
  }

  /**
   * True iff a pod with {@code spec} may run on a node whose GPU model is {@code model}: an empty
   * spec (or one with only empty pieces) allows any node; otherwise the model must equal one piece
   * exactly, and a node without a model is rejected.
   */
  public static boolean admits(String spec, String model) {
    if (spec == null || spec.isEmpty()) {
      return true;
    }
    boolean anyPiece = false;
    int start = 0;
    int n = spec.length();
    while (start <= n) {
      int bar = spec.indexOf('|', start);
      int end = bar < 0 ? n : bar;
      if (end > start) {
        anyPiece = true;
        if (model != null
            && !model.isEmpty()
            && end - start == model.length()
            && spec.regionMatches(start, model, 0, model.length())) {
          return true;
        }
      }
      if (bar < 0) {
        break;
      }
      start = bar + 1;
    }
    return !anyPiece;
  }
}
