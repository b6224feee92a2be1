package dev.tessera.extender.http;

import java.time.Duration;

/** Counts requests being handled, so a shutdown can wait for them (graceful drain). */
final class InFlight {
  private int count;

  synchronized void enter() {
    count++;
  }

  synchronized void exit() {
    count--;
    if (count == 0) {
      notifyAll();
    }
  }

  /** Waits until nothing is in flight or {@code max} passed; true when drained. */
  synchronized boolean awaitIdle(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
