package dev.tessera.policies.drl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender's policy directory: every {@code *.drl} file in one directory, compiled together (in
 * file-name order) into one policy served through a {@link PolicyHolder}, and recompiled when a
 * file is created, changed or deleted. A change that does not compile is logged with one {@code
 * file:line:col: message} line per error and the previous policy keeps serving.
 *
 * <p>Call {@link #start()} to watch; {@link #close()} stops the watcher thread.
 */
public final class PolicyDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyDirectory.class);

  /**
   * How long the directory must be quiet before a reload: editors and {@code kubectl cp} write a
   * file in several steps, and compiling each step would log spurious errors.
   */
  static final long QUIET_MILLIS = 100;

  private final Path dir;
  private final PolicyHolder holder;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicReference<List<String>> lastErrors = new AtomicReference<>(List.of());
  private WatchService watcher;
  private Thread thread;

  private PolicyDirectory(Path dir, PolicyHolder holder) {
    this.dir = dir;
    this.holder = holder;
  }

  /**
   * Compiles the directory's policy; it must compile, or there is nothing to serve.
   *
   * @throws PolicyCompileException with every error, or one naming the directory when it has no
   *     {@code *.drl} file or cannot be read
   */
  public static PolicyDirectory open(Path dir) {
    Policy initial = PolicyCompiler.compile(policyName(dir), sources(dir));
    return new PolicyDirectory(dir, new PolicyHolder(initial));
  }

  /** The holder serving the directory's current policy. */
  public PolicyHolder holder() {
    return holder;
  }

  /** Successful reloads since {@link #open}; tests poll it. */
  public long reloads() {
    return reloads.get();
  }

  /** The errors of the last failed reload ({@code file:line:col: message}); empty after success. */
  public List<String> lastErrors() {
    return lastErrors.get();
  }

  /**
   * Recompiles the directory now and serves the result if it compiles.
   *
   * @return whether the new policy is serving; when not, {@link #lastErrors()} says why and the
   *     previous policy still serves
   */
  public boolean reload() {
    try {
      holder.reload(policyName(dir), sources(dir));
      lastErrors.set(List.of());
      reloads.incrementAndGet();
      LOG.info("policy directory {}: reloaded", dir);
      return true;
    } catch (PolicyCompileException e) {
      lastErrors.set(e.errors());
      for (String error : e.errors()) {
        LOG.error("policy directory {}: {} (previous policy keeps serving)", dir, error);
      }
      return false;
    }
  }

  /**
   * Starts watching the directory on a daemon thread.
   *
   * @throws UncheckedIOException when the directory cannot be watched
   */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    try {
      watcher = dir.getFileSystem().newWatchService();
      dir.register(
          watcher,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch policy directory " + dir, e);
    }
    thread = new Thread(this::watch, "policy-directory-" + dir.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  private void watch() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        boolean drl = drain(key);
        // Let a burst of writes settle, then reload once for all of them.
        WatchKey more;
        while ((more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
          drl |= drain(more);
        }
        if (drl) {
          reload();
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: stop watching
    }
  }

  private static boolean drain(WatchKey key) {
    boolean drl = false;
    for (var event : key.pollEvents()) {
      // OVERFLOW has no file name: events were lost, so reload to be safe.
      drl |= !(event.context() instanceof Path p) || p.getFileName().toString().endsWith(".drl");
    }
    key.reset();
    return drl;
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.warn("policy directory {}: closing the watcher failed: {}", dir, e.getMessage());
      }
    }
    if (thread != null) {
      thread.interrupt();
      thread = null;
    }
  }

  private static String policyName(Path dir) {
    Path name = dir.getFileName();
    return name == null ? dir.toString() : name.toString();
  }

  /** Every {@code *.drl} file of {@code dir} in file-name order. */
  private static List<PolicySource> sources(Path dir) {
    var files = new ArrayList<Path>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.drl")) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      throw new PolicyCompileException(dir + ":0:0: cannot read policy directory: " + e);
    }
    if (files.isEmpty()) {
      throw new PolicyCompileException(dir + ":0:0: no *.drl policy files");
    }
    files.sort(null);
    var out = new ArrayList<PolicySource>(files.size());
    for (Path f : files) {
      out.add(PolicySource.file(f));
    }
    return out;
  }
}
