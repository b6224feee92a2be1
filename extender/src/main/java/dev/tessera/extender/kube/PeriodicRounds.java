package dev.tessera.extender.kube;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * A daemon thread that runs a leader's maintenance round (node handshakes, scheduler role labels)
 * at a fixed delay; a failed round is logged and the next one runs as planned, so one API error
 * never ends the loop.
 */
final class PeriodicRounds implements AutoCloseable {
  private final ScheduledExecutorService loop;
  private final Runnable round;
  private final Duration period;

  /**
   * @param thread the thread's name, as shown in thread dumps
   * @param log where a failed round is reported, with {@code failure} as the message prefix
   */
  PeriodicRounds(String thread, Logger log, String failure, Runnable round, Duration period) {
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, thread);
              t.setDaemon(true);
              return t;
            });
    this.round =
        () -> {
          try {
            round.run();
          } catch (RuntimeException e) {
            log.warn("{}: {}", failure, e.toString());
          }
        };
    this.period = period;
  }

  /** Starts the rounds, the first at once. */
  void start() {
    loop.scheduleWithFixedDelay(round, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
