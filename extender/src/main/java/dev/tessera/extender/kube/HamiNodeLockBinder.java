package dev.tessera.extender.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeLock;
import dev.tessera.engine.codec.PodRef;
import dev.tessera.extender.state.BindException;
import dev.tessera.extender.state.Binder;
import dev.tessera.extender.state.ShutdownSignal;
import dev.tessera.extender.wire.KubePod;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.util.PatchUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Binder} for clusters running <em>HAMi's</em> device plugin: takes HAMi's node lock
 * ({@code hami.io/mutex.lock}, hami-compat §3.4) before a GPU pod's annotations are written,
 * exactly as HAMi's scheduler does in bind, and releases it when the bind fails. On success the
 * lock stays until HAMi's plugin has served the pod's Allocate calls and releases it itself (§8.4).
 *
 * <p>Why: HAMi's plugin serves the pod the lock names (§8.3 step 1). Without a lock it falls back
 * to the first Pending pod on the node with bind phase {@code allocating} <em>or</em> {@code
 * success}, so a pod still Pending after its own allocation (pulling its image, say) would be
 * served instead of the pod kubelet is allocating, and the plugin fails the call on the device
 * count or marks the wrong pod failed. Tessera's own device plugin tells pods apart by their
 * signature and needs no lock ({@link AllocationGate} covers it).
 *
 * <p>Unlike HAMi, a bind finding the lock held by another live pod does not fail at once: it
 * retries every {@link Settings#retryEvery} until the plugin releases the lock, for at most {@link
 * Settings#waitLimit} (HAMi does the same for PodGroup pods, 28 s), so a job's pods bound to one
 * node follow one another at the plugin's Allocate latency. A stopped {@link ShutdownSignal} ends
 * the wait at once. The acquire decision (free, expired, re-entry, holder gone, contention) is the
 * engine's {@link NodeLock#decide}; writes are JSON merge patches carrying the node's
 * resourceVersion, so two writers never both win. Thread-safe.
 */
public final class HamiNodeLockBinder implements Binder {
  private static final Logger LOG = LoggerFactory.getLogger(HamiNodeLockBinder.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RELEASE_ATTEMPTS = 3;

  /**
   * Timing of the lock.
   *
   * @param waitLimit the longest a bind waits for another pod's lock ({@code --allocation-wait})
   * @param lockTimeout a lock older than this is taken over (HAMi's {@code --node-lock-timeout}, 5
   *     min)
   * @param retryEvery how often a waiting bind looks at the lock again (HAMi: 100 ms)
   */
  public record Settings(Duration waitLimit, Duration lockTimeout, Duration retryEvery) {
    public Settings {
      Objects.requireNonNull(waitLimit, "waitLimit");
      Objects.requireNonNull(lockTimeout, "lockTimeout");
      Objects.requireNonNull(retryEvery, "retryEvery");
      if (waitLimit.isNegative()) {
        throw new IllegalArgumentException("waitLimit must not be negative, got " + waitLimit);
      }
      if (lockTimeout.isNegative()
          || lockTimeout.isZero()
          || retryEvery.isNegative()
          || retryEvery.isZero()) {
        throw new IllegalArgumentException(
            "lockTimeout and retryEvery must be positive, got " + lockTimeout + ", " + retryEvery);
      }
    }

    /** {@code waitLimit}, HAMi's 5 min lock timeout and 100 ms retry. */
    public static Settings of(Duration waitLimit) {
      return new Settings(waitLimit, NodeLock.DEFAULT_TIMEOUT, Duration.ofMillis(100));
    }
  }

  private final Binder delegate;
  private final ApiClient client;
  private final CoreV1Api api;
  private final BooleanSupplier leading;
  private final Settings settings;
  private final ShutdownSignal shutdown;
  private final Clock clock;
  private final Object nap = new Object();
  // Pod key to the node whose lock this process took for it and has not handed to the plugin yet.
  private final ConcurrentHashMap<String, String> held = new ConcurrentHashMap<>();

  /**
   * @param delegate writes the annotations and the Binding (the API binder, leader-only or not)
   * @param leading while false no lock is taken (the delegate refuses the bind anyway)
   * @param clock the lock's time stamps, in its zone, as HAMi writes local time
   */
  public HamiNodeLockBinder(
      Binder delegate,
      ApiClient client,
      BooleanSupplier leading,
      Settings settings,
      ShutdownSignal shutdown,
      Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.client = Objects.requireNonNull(client, "client");
    this.api = new CoreV1Api(client);
    this.leading = Objects.requireNonNull(leading, "leading");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.shutdown = Objects.requireNonNull(shutdown, "shutdown");
    this.clock = Objects.requireNonNull(clock, "clock");
    shutdown.onStop(
        () -> {
          synchronized (nap) {
            nap.notifyAll();
          }
        });
  }

  /**
   * Takes the lock of the node in {@code hami.io/vgpu-node} (waiting for it at most the wait
   * limit), then writes the annotations; releases the lock again if writing fails. Annotations
   * without a node (no GPU pod) pass straight through.
   */
  @Override
  public void annotate(KubePod pod, Map<String, String> annotations, Map<String, String> labels) {
    String node = annotations.get(Annotations.VGPU_NODE);
    if (node == null || node.isEmpty() || !leading.getAsBoolean()) {
      delegate.annotate(pod, annotations, labels);
      return;
    }
    acquire(pod, node);
    held.put(pod.key(), node);
    try {
      delegate.annotate(pod, annotations, labels);
    } catch (RuntimeException e) {
      releaseHeld(pod);
      throw e;
    }
  }

  /**
   * Creates the Binding; on success the lock is left for HAMi's plugin to release after Allocate,
   * on failure it is released here (hami-compat §6.4 step 7).
   */
  @Override
  public void bind(KubePod pod, String node) {
    try {
      delegate.bind(pod, node);
    } catch (RuntimeException e) {
      releaseHeld(pod);
      throw e;
    }
    held.remove(pod.key());
  }

  // ---- acquire ----

  private void acquire(KubePod pod, String node) {
    PodRef me = new PodRef(pod.namespace(), pod.name());
    long deadline = System.nanoTime() + settings.waitLimit().toNanos();
    String lastHolder = "";
    while (true) {
      if (shutdown.stopped()) {
        throw new BindException(
            "pod "
                + pod.key()
                + " was not bound to node "
                + node
                + ": the extender is shutting down"
                + (lastHolder.isEmpty() ? "" : " while node lock holder " + lastHolder + " holds")
                + " the node lock "
                + Annotations.NODE_LOCK
                + "; kube-scheduler will retry");
      }
      V1Node n = readNode(pod, node);
      Optional<String> current = Optional.ofNullable(annotations(n).get(Annotations.NODE_LOCK));
      NodeLock.Decision d =
          NodeLock.decide(node, current, this::podExists, clock, settings.lockTimeout(), me);
      if (d instanceof NodeLock.Decision.ReEnter) {
        return;
      }
      if (d instanceof NodeLock.Decision.Unparseable u) {
        throw new BindException(
            "pod "
                + pod.key()
                + " was not bound to node "
                + node
                + ": the node's "
                + Annotations.NODE_LOCK
                + " does not parse: "
                + u.error().getMessage());
      }
      if (d instanceof NodeLock.Decision.Contention c) {
        lastHolder = current.orElse("");
        if (System.nanoTime() >= deadline) {
          throw new BindException(
              "pod "
                  + pod.key()
                  + " was not bound to node "
                  + node
                  + ": "
                  + c.message()
                  + " (holder "
                  + current.orElse("?")
                  + "; HAMi's device plugin releases "
                  + Annotations.NODE_LOCK
                  + " once it served the holder's Allocate); waited "
                  + settings.waitLimit().toMillis()
                  + " ms; kube-scheduler will retry");
        }
        sleep(deadline);
        continue;
      }
      if (write(pod, node, n, d.valueToWrite().orElseThrow())) {
        LOG.debug("pod {}: took node lock of {} ({})", pod.key(), node, d);
        return;
      }
      // Someone changed the node between read and write: look again at once.
    }
  }

  /** Writes the lock value with the node's resourceVersion; false on a conflict. */
  private boolean write(KubePod pod, String node, V1Node read, String value) {
    var set = new LinkedHashMap<String, String>();
    set.put(Annotations.NODE_LOCK, value);
    try {
      patchNode(node, set, read.getMetadata().getResourceVersion());
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw new BindException(
          "pod "
              + pod.key()
              + " was not bound to node "
              + node
              + ": taking the node lock "
              + Annotations.NODE_LOCK
              + " failed: "
              + text(e),
          e);
    }
  }

  private void sleep(long deadline) {
    long nanos = Math.min(settings.retryEvery().toNanos(), deadline - System.nanoTime());
    if (nanos <= 0) {
      return;
    }
    synchronized (nap) {
      if (shutdown.stopped()) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(nap, nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BindException("interrupted while waiting for a node lock", e);
      }
    }
  }

  private boolean podExists(PodRef holder) {
    try {
      api.readNamespacedPod(holder.name(), holder.namespace()).execute();
      return true;
    } catch (ApiException e) {
      // Only a definite "not found" frees the lock; any other error keeps the holder alive.
      return e.getCode() != 404;
    }
  }

  // ---- release ----

  private void releaseHeld(KubePod pod) {
    String node = held.remove(pod.key());
    if (node != null) {
      release(new PodRef(pod.namespace(), pod.name()), node);
    }
  }

  /**
   * Removes the lock if it still names {@code holder} (§3.4 owner check), with the read
   * resourceVersion; best effort: a failure is logged, the lock then expires after its timeout.
   */
  private void release(PodRef holder, String node) {
    for (int attempt = 1; ; attempt++) {
      try {
        V1Node n = api.readNode(node).execute();
        String current = annotations(n).get(Annotations.NODE_LOCK);
        if (current == null || !NodeLock.releasable(current, current, holder)) {
          return;
        }
        var remove = new LinkedHashMap<String, String>();
        remove.put(Annotations.NODE_LOCK, null);
        patchNode(node, remove, n.getMetadata().getResourceVersion());
        return;
      } catch (ApiException e) {
        if (e.getCode() != 409 || attempt >= RELEASE_ATTEMPTS) {
          LOG.warn(
              "pod {}: releasing the node lock of {} failed: {}; it expires after {}",
              holder.namespaceName("/"),
              node,
              text(e),
              settings.lockTimeout());
          return;
        }
      }
    }
  }

  // ---- API ----

  private V1Node readNode(KubePod pod, String node) {
    try {
      return api.readNode(node).execute();
    } catch (ApiException e) {
      throw new BindException(
          "pod "
              + pod.key()
              + " was not bound to node "
              + node
              + ": reading the node for its lock failed: "
              + text(e),
          e);
    }
  }

  private void patchNode(String node, Map<String, String> annotations, String resourceVersion)
      throws ApiException {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode meta = patch.putObject("metadata");
    ObjectNode a = meta.putObject("annotations");
    annotations.forEach(a::put);
    meta.put("resourceVersion", resourceVersion);
    String body;
    try {
      body = JSON.writeValueAsString(patch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PatchUtils.patch(
        V1Node.class,
        () -> api.patchNode(node, new V1Patch(body)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
        client);
  }

  private static Map<String, String> annotations(V1Node node) {
    var meta = node.getMetadata();
    return meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
  }

  private static String text(ApiException e) {
    String body = e.getResponseBody();
    if (body == null || body.isEmpty()) {
      return String.valueOf(e.getMessage());
    }
    try {
      var n = JSON.readTree(body);
      if (n != null && n.hasNonNull("message")) {
        return "HTTP " + e.getCode() + " " + n.get("message").asText();
      }
    } catch (IOException ignored) {
      // Not a Status: show the body as it came.
    }
    return "HTTP " + e.getCode() + " " + body;
  }
}
