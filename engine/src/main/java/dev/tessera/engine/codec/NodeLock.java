package dev.tessera.engine.codec;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The node-lock acquire decision of HAMi's {@code LockNode} (hami-compat §3.4) as a pure function:
 * given the current lock value and a holder lookup it says what to do and what to write; the caller
 * performs the API-server patch (with resourceVersion) and retries.
 */
public final class NodeLock {
  private NodeLock() {}

  /** HAMi's default lock timeout ({@code --node-lock-timeout}). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /** The environment variable that overrides the lock timeout. */
  public static final String EXPIRE_ENV = "HAMI_NODELOCK_EXPIRE";

  /** Answers whether the pod named in a lock still exists (an API-server lookup in production). */
  @FunctionalInterface
  public interface HolderLookup {
    boolean exists(PodRef holder);
  }

  /** What to do about the lock. */
  public sealed interface Decision
      permits Decision.Acquire,
          Decision.ReEnter,
          Decision.TakeOverExpired,
          Decision.TakeOverOrphaned,
          Decision.Contention,
          Decision.Unparseable {
    /** True when the requester holds the lock after applying this decision. */
    boolean acquired();

    /** The lock value to write; empty when nothing is written. */
    default Optional<String> valueToWrite() {
      return Optional.empty();
    }

    /** The lock was free: write {@code newValue}. */
    record Acquire(String newValue) implements Decision {
      public boolean acquired() {
        return true;
      }

      public Optional<String> valueToWrite() {
        return Optional.of(newValue);
      }
    }

    /** The requester already holds the lock (multi-vendor pods): nothing to write. */
    record ReEnter(NodeLockValue current) implements Decision {
      public boolean acquired() {
        return true;
      }
    }

    /** The lock is older than the timeout: release {@code previous} and write {@code newValue}. */
    record TakeOverExpired(NodeLockValue previous, String newValue) implements Decision {
      public boolean acquired() {
        return true;
      }

      public Optional<String> valueToWrite() {
        return Optional.of(newValue);
      }
    }

    /** The holder pod is gone: release {@code previous} and write {@code newValue}. */
    record TakeOverOrphaned(NodeLockValue previous, String newValue) implements Decision {
      public boolean acquired() {
        return true;
      }

      public Optional<String> valueToWrite() {
        return Optional.of(newValue);
      }
    }

    /** Another live pod holds a fresh lock; {@code message} is HAMi's error text. */
    record Contention(NodeLockValue current, String message) implements Decision {
      public boolean acquired() {
        return false;
      }
    }

    /** The current value does not parse; bind fails with this error. */
    record Unparseable(AnnotationDecodeException error) implements Decision {
      public boolean acquired() {
        return false;
      }
    }
  }

  /**
   * Decides how {@code requester} takes the lock of {@code nodeName}. Order as HAMi: free, then
   * expired ({@code now - lockTime > timeout}), then re-entry by the same pod, then a holder that
   * no longer exists, else contention. {@code lookup} is consulted only in the last step.
   *
   * @param current the annotation value, empty when absent
   * @param clock supplies now and the zone the new value is written in
   */
  public static Decision decide(
      String nodeName,
      Optional<String> current,
      HolderLookup lookup,
      Clock clock,
      Duration timeout,
      PodRef requester) {
    String newValue = NodeLockValue.heldBy(OffsetDateTime.now(clock), requester).encode();
    if (current.isEmpty()) {
      return new Decision.Acquire(newValue);
    }
    NodeLockValue lock;
    try {
      lock = NodeLockValue.decode(current.get());
    } catch (AnnotationDecodeException e) {
      return new Decision.Unparseable(e);
    }
    if (Duration.between(lock.time().toInstant(), clock.instant()).compareTo(timeout) > 0) {
      return new Decision.TakeOverExpired(lock, newValue);
    }
    if (lock.holder().isPresent()) {
      PodRef holder = lock.holder().get();
      if (holder.equals(requester)) {
        return new Decision.ReEnter(lock);
      }
      if (!holder.namespace().isEmpty() && !holder.name().isEmpty() && !lookup.exists(holder)) {
        return new Decision.TakeOverOrphaned(lock, newValue);
      }
    }
    return new Decision.Contention(
        lock, "node " + nodeName + " has been locked within " + GoDuration.format(timeout));
  }

  /**
   * Whether {@code pod} may release the lock whose value is now {@code current}: only when the
   * value still names it ({@code …,<namespace>,<name>}), so a lock taken over in the meantime is
   * left alone. A legacy timestamp-only value is releasable when it equals {@code observed}, the
   * value the releaser saw when it decided to release.
   */
  public static boolean releasable(String current, String observed, PodRef pod) {
    if (current.indexOf(',') < 0) {
      return current.equals(observed);
    }
    return current.endsWith("," + pod.namespaceName(","));
  }

  /**
   * The lock timeout from {@code HAMI_NODELOCK_EXPIRE}: a Go duration; empty, absent or invalid
   * values keep {@code fallback}, as HAMi ignores them.
   */
  public static Duration timeoutFromEnv(Optional<String> envValue, Duration fallback) {
    if (envValue.isEmpty() || envValue.get().isEmpty()) {
      return fallback;
    }
    try {
      return GoDuration.parse(EXPIRE_ENV, envValue.get());
    } catch (AnnotationDecodeException e) {
      return fallback;
    }
  }
}
