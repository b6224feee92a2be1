package dev.tessera.extender.policy;

import dev.tessera.policies.drl.Policy;
import dev.tessera.policies.drl.PolicyCompileException;
import dev.tessera.policies.drl.PolicyCompiler;
import dev.tessera.policies.drl.PolicyHolder;
import dev.tessera.policies.drl.PolicySource;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of DRL files served as one policy (all {@code *.drl}, name order, compiled together
 * so their points add up) and reloaded when a file changes. A reload that does not compile keeps
 * the serving policy and logs every {@code file:line:col: message}.
 */
public final class PolicyDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyDirectory.class);

  /** Quiet time after a change before reloading, so an editor's save burst reloads once. */
  private static final long SETTLE_MILLIS = 200;

  private final Path dir;
  private final PolicyHolder holder;
  private WatchService watcher;
  private Thread thread;

  private PolicyDirectory(Path dir, PolicyHolder holder) {
    this.dir = dir;
    this.holder = holder;
  }

  /**
   * Compiles {@code dir}'s policy and returns it with a holder serving it (not yet watching).
   *
   * @throws PolicyCompileException with every error when the files do not compile
   */
  public static PolicyDirectory open(Path dir) {
    return new PolicyDirectory(dir, new PolicyHolder(compile(dir)));
  }

  /** The holder whose current policy is this directory's last good compile. */
  public PolicyHolder holder() {
    return holder;
  }

  /**
   * Recompiles the directory now and serves the result if it compiles.
   *
   * @return true when the new policy is serving; false when it failed (errors logged, old policy
   *     kept)
   */
  public boolean reload() {
    try {
      Policy p = holder.reload(name(dir), sources(dir));
      LOG.info("policy {} reloaded from {}", p.name(), dir);
      return true;
    } catch (PolicyCompileException e) {
      LOG.error(
          "policy in {} not reloaded ({} errors); still serving {}",
          dir,
          e.errors().size(),
          holder.current().policy().name());
      for (String error : e.errors()) {
        LOG.error("  {}", error);
      }
      return false;
    }
  }

  /** Starts watching the directory; every change triggers {@link #reload}. */
  public synchronized void watch() {
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
      throw new IllegalStateException("cannot watch " + dir + ": " + e.getMessage(), e);
    }
    thread = new Thread(this::loop, "policy-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        key.pollEvents();
        key.reset();
        // let a burst of writes settle, then reload once
        for (WatchKey more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
            more != null;
            more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) {
          more.pollEvents();
          more.reset();
        }
        reload();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: stop watching
    }
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.debug("closing the policy watcher: {}", e.getMessage());
      }
    }
    if (thread != null) {
      thread.interrupt();
    }
  }

  private static Policy compile(Path dir) {
    return PolicyCompiler.compile(name(dir), sources(dir));
  }

  private static String name(Path dir) {
    Path f = dir.toAbsolutePath().normalize().getFileName();
    return f == null ? dir.toString() : f.toString();
  }

  /**
   * Every {@code *.drl} in {@code dir}, name order.
   *
   * @throws PolicyCompileException when the directory cannot be read or holds no DRL file
   */
  static List<PolicySource> sources(Path dir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".drl")).sorted().toList();
    } catch (IOException e) {
      throw new PolicyCompileException(
          dir + ":0:0: cannot list policy directory: " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw new PolicyCompileException(dir + ":0:0: no .drl policy files in the directory");
    }
    return files.stream().map(PolicySource::file).toList();
  }
}
