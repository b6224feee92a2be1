package dev.tessera.deviceplugin.server;

import java.util.List;

/**
 * Allocate cannot tell which pod kubelet is serving: none matches, or several do. The message names
 * the node, the request and every candidate; the plugin never guesses.
 */
public final class PodLookupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How the lookup failed. */
  public enum Kind {
    /** No pending pod on the node waits for these devices. */
    MISSING,
    /** More than one pending pod fits the request. */
    AMBIGUOUS,
    /** The node lock cannot be parsed or names a pod that cannot be used. */
    BAD_LOCK
  }

  private final Kind kind;
  private final transient List<PodInfo> candidates;

  public PodLookupException(Kind kind, String message, List<PodInfo> candidates) {
    super(message);
    this.kind = kind;
    this.candidates = List.copyOf(candidates);
  }

  public Kind kind() {
    return kind;
  }

  /** The pods that matched (ambiguous) or that the lock named; empty when none did. */
  public List<PodInfo> candidates() {
    return candidates;
  }
}
