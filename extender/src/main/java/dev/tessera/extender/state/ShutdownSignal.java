package dev.tessera.extender.state;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells the parts of a bind that wait (the allocation gate, the node lock) that the extender is
 * stopping, so that they give up at once with an error kube-scheduler retries elsewhere, instead of
 * outliving the HTTP drain and leaving a half-written bind behind. One-way: once {@link #stop} ran
 * it stays stopped. Thread-safe.
 */
public final class ShutdownSignal {
  /** A signal that never stops (for settings without a server around them); immutable. */
  public static final ShutdownSignal NEVER = new ShutdownSignal(false);

  private final boolean stoppable;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;

  /** A signal not stopped yet. */
  public ShutdownSignal() {
    this(true);
  }

  private ShutdownSignal(boolean stoppable) {
    this.stoppable = stoppable;
  }

  /** True once {@link #stop} ran. */
  public boolean stopped() {
    return stopped;
  }

  /**
   * Runs {@code listener} when {@link #stop} runs (at once when it already has), so that waiters
   * sleeping on their own conditions are woken.
   */
  public void onStop(Runnable listener) {
    if (!stoppable) {
      return;
    }
    listeners.add(listener);
    if (stopped) {
      listener.run();
    }
  }

  /**
   * Marks the signal stopped and wakes every listener; later calls do nothing.
   *
   * @throws IllegalStateException on {@link #NEVER}
   */
  public void stop() {
    if (!stoppable) {
      throw new IllegalStateException("ShutdownSignal.NEVER cannot be stopped");
    }
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    listeners.forEach(Runnable::run);
  }
}
