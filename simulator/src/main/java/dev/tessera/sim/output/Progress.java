package dev.tessera.sim.output;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Progress of a simulation over one or more tasks (policy runs, possibly in parallel threads),
 * counted in events. On a terminal it is a single line (bar, percent, events, rate, ETA, each
 * task's percent) redrawn in place with {@code \r} at most every {@link #REDRAW_NANOS}; otherwise
 * plain lines, one each time the overall progress passes another 10 % and at least every {@link
 * #LINE_NANOS} while running, plus one per finished task. Thread-safe: tasks count with atomics and
 * output is serialised.
 */
public final class Progress implements AutoCloseable {
  /** Shortest interval between terminal redraws: 100 ms. */
  public static final long REDRAW_NANOS = 100_000_000L;

  /** Longest silence between plain lines while running: 5 s. */
  public static final long LINE_NANOS = 5_000_000_000L;

  private static final int BAR = 24;

  private final Writer out;
  private final boolean terminal;
  private final LongSupplier clock;
  private final String label;
  private final long start;
  private final List<Task> tasks = new ArrayList<>();
  private final Object lock = new Object();
  private final AtomicLong allDone = new AtomicLong();
  // Thresholds read without the lock by the hot path; written under it.
  private volatile long nextCount;
  private volatile long nextTime;
  private long lastLine;
  private long allTotal;
  private int nextTenth = 1;
  private int lastWidth;
  private boolean closed;

  /**
   * Progress written to {@code out}, as a redrawn line when {@code terminal}, else as plain lines;
   * {@code nanoClock} gives the time in nanoseconds (e.g. {@code System::nanoTime}); {@code label}
   * starts every line (e.g. {@code simulate}).
   */
  public Progress(Writer out, boolean terminal, LongSupplier nanoClock, String label) {
    this.out = out;
    this.terminal = terminal;
    this.clock = nanoClock;
    this.label = label;
    this.start = nanoClock.getAsLong();
    this.lastLine = start;
    this.nextTime = terminal ? start : start + LINE_NANOS;
    this.nextCount = terminal ? Long.MAX_VALUE : 0;
  }

  /** Progress on standard error; a redrawn line when a console is attached, else plain lines. */
  public static Progress toStderr(String label) {
    return new Progress(
        new PrintWriter(System.err, true, Charset.defaultCharset()),
        System.console() != null,
        System::nanoTime,
        label);
  }

  /** A new task of {@code total} events, shown as {@code name}. */
  public Task task(String name, long total) {
    Task t = new Task(name, Math.max(0, total));
    synchronized (lock) {
      tasks.add(t);
      allTotal += t.total;
      if (!terminal) {
        nextCount = (allTotal * nextTenth + 9) / 10;
      }
    }
    return t;
  }

  /** One counted piece of work. */
  public final class Task {
    private final String name;
    private final long total;
    private final AtomicLong done = new AtomicLong();

    private Task(String name, long total) {
      this.name = name;
      this.total = total;
    }

    /** Counts one event. */
    public void advance() {
      advance(1);
    }

    /** Counts {@code n} events. */
    public void advance(long n) {
      done.addAndGet(n);
      long all = allDone.addAndGet(n);
      if (all < nextCount && clock.getAsLong() < nextTime) {
        return; // the hot path: nothing to show yet, no lock taken
      }
      update(false);
    }

    /** Marks the task finished (its count becomes its total). */
    public void finish() {
      long before = done.getAndUpdate(d -> Math.max(d, total));
      allDone.addAndGet(Math.max(0, total - before));
      update(true);
      synchronized (lock) {
        if (!terminal && !closed) {
          double s = (clock.getAsLong() - start) / 1e9;
          print(
              String.format(
                  Locale.ROOT, "%s: %s done, %,d events in %.1f s%n", label, name, done.get(), s));
        }
      }
    }
  }

  private void update(boolean force) {
    long now = clock.getAsLong();
    synchronized (lock) {
      if (closed) {
        return;
      }
      long done = 0;
      long total = 0;
      for (Task t : tasks) {
        done += Math.min(t.done.get(), t.total);
        total += t.total;
      }
      if (terminal) {
        if (force || now >= nextTime) {
          nextTime = now + REDRAW_NANOS;
          draw(done, total, now);
        }
      } else {
        int tenth = total == 0 ? 10 : (int) (10 * done / total);
        if (tenth >= nextTenth || (now - lastLine >= LINE_NANOS && nextTenth <= 10)) {
          nextTenth = Math.max(nextTenth, tenth + 1);
          lastLine = now;
          print(line(done, total, now) + System.lineSeparator());
        }
        nextCount = nextTenth > 10 ? Long.MAX_VALUE : (total * nextTenth + 9) / 10;
        nextTime = lastLine + LINE_NANOS;
      }
    }
  }

  private void draw(long done, long total, long now) {
    StringBuilder b = new StringBuilder(120);
    int filled = total == 0 ? BAR : (int) (BAR * done / total);
    b.append('\r').append(label).append(" [");
    b.append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("] ");
    b.append(stats(done, total, now));
    if (tasks.size() > 1) {
      b.append(" |");
      for (Task t : tasks) {
        b.append(' ')
            .append(t.name)
            .append(' ')
            .append(pct(Math.min(t.done.get(), t.total), t.total));
      }
    }
    int width = b.length();
    if (width < lastWidth) {
      b.append(" ".repeat(lastWidth - width)); // wipe the rest of a longer previous line
    }
    lastWidth = width;
    print(b.toString());
  }

  private String line(long done, long total, long now) {
    return label + ": " + stats(done, total, now);
  }

  private String stats(long done, long total, long now) {
    double secs = (now - start) / 1e9;
    double rate = secs > 0 ? done / secs : 0;
    String eta;
    if (done >= total) {
      eta = String.format(Locale.ROOT, "done in %s", duration(secs));
    } else if (rate > 0) {
      eta = "ETA " + duration((total - done) / rate);
    } else {
      eta = "ETA –";
    }
    return String.format(
        Locale.ROOT, "%s %,d/%,d events, %,.0f/s, %s", pct(done, total), done, total, rate, eta);
  }

  private static String pct(long done, long total) {
    return String.format(Locale.ROOT, "%3d%%", total == 0 ? 100 : (int) (100 * done / total));
  }

  static String duration(double seconds) {
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.0fs", Math.ceil(seconds));
    }
    long s = (long) Math.ceil(seconds);
    return s < 3600
        ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
        : String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private void print(String s) {
    try {
      out.write(s);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write progress: " + e.getMessage(), e);
    }
  }

  /** Draws the final state; a terminal line is ended with a newline. */
  @Override
  public void close() {
    update(true);
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (terminal) {
        print(System.lineSeparator());
      }
    }
  }
}
