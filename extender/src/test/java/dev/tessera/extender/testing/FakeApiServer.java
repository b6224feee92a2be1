package dev.tessera.extender.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An in-memory Kubernetes API server on the JDK HTTP server, good enough for the real client-java
 * informers, leader election and the extender's writes: list, get, create, update (PUT), delete,
 * JSON merge patch and strategic merge patch (maps merged, lists replaced, {@code null} removes),
 * the {@code pods/binding} subresource, the {@code status} subresource, and streaming watch ({@code
 * ?watch=true}, chunked JSON lines of {@code {type, object}}, from a resourceVersion, ended after
 * {@code timeoutSeconds}).
 *
 * <p>Any resource path works ({@code /api/v1/...} and {@code /apis/<group>/<version>/...}); {@code
 * nodes} and {@code namespaces} are cluster-scoped, everything else is namespaced. One global
 * resourceVersion counter orders every change, as etcd's revision does; the whole change history is
 * kept so a watch from any earlier version replays exactly what it missed, unless {@link #compact}
 * dropped it (then the watch answers {@code 410 Gone} and informers relist).
 *
 * <p>Tests can inject failures with {@link #failNext}, lost answers with {@link #dropResponseNext},
 * an unresponsive server with {@link #hang}, and read every request from {@link #requests}.
 */
public final class FakeApiServer implements AutoCloseable {
  /** One request as received. */
  public record Request(
      String method, String path, String query, String contentType, String body) {}

  /** One stored change, in resourceVersion order. */
  private record Change(long rv, String resource, String type, ObjectNode object) {}

  private record Failure(String method, Pattern path, int code, String message) {}

  /** Requests whose method matches {@code method} (a regex) and path matches {@code path}. */
  private record Match(Pattern method, Pattern path) {
    boolean test(String m, String p) {
      return method.matcher(m).matches() && path.matcher(p).matches();
    }
  }

  private record Target(
      String resource, String namespace, String name, String subresource, String apiVersion) {
    String key(String ns, String n) {
      return ns == null || ns.isEmpty() ? n : ns + "/" + n;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectNode POISON = F.objectNode();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Object lock = new Object();

  /** resource ("v1/pods", "coordination.k8s.io/v1/leases") to key ({@code ns/name}) to object. */
  private final Map<String, Map<String, ObjectNode>> store = new HashMap<>();

  private final List<Change> history = new ArrayList<>();
  private final List<BlockingQueue<ObjectNode>> watchers = new CopyOnWriteArrayList<>();
  private final List<Failure> failures = new ArrayList<>();
  private final List<Match> hangs = new CopyOnWriteArrayList<>();
  private final List<Match> drops = new ArrayList<>();
  private volatile CountDownLatch resumed = new CountDownLatch(1);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger openWatches = new AtomicInteger();
  private long resourceVersion = 1;
  private long compactedTo = 0;
  private volatile boolean closed;
  // Non-null while list requests are held back (holdLists).
  private volatile java.util.concurrent.CountDownLatch listsHeld;

  private FakeApiServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a server on a free loopback port. */
  public static FakeApiServer start() {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      AtomicInteger threads = new AtomicInteger();
      ExecutorService ex =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "fake-apiserver-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      FakeApiServer s = new FakeApiServer(http, ex);
      http.createContext("/", s::handle);
      http.setExecutor(ex);
      http.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * A client-java client for this server. The read timeout is off so that watches stay open until
   * the server ends them.
   */
  public ApiClient client() {
    ApiClient c = new ClientBuilder().setBasePath(url()).build();
    c.setHttpClient(c.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    return c;
  }

  /**
   * Holds every list request (GET on a collection, watches excepted) until {@link #releaseLists},
   * so that informers stay unsynced for as long as a test needs.
   */
  public void holdLists() {
    synchronized (lock) {
      if (listsHeld == null) {
        listsHeld = new java.util.concurrent.CountDownLatch(1);
      }
    }
  }

  /** Lets the list requests held by {@link #holdLists} (and later ones) through. */
  public void releaseLists() {
    java.util.concurrent.CountDownLatch held;
    synchronized (lock) {
      held = listsHeld;
      listsHeld = null;
    }
    if (held != null) {
      held.countDown();
    }
  }

  /**
   * A client-java client for calls that must not wait forever: connect, read and whole-call
   * timeouts of {@code timeout}, as the extender's lease, patch and Binding calls use.
   */
  public ApiClient client(Duration timeout) {
    ApiClient c = new ClientBuilder().setBasePath(url()).build();
    c.setHttpClient(
        c.getHttpClient()
            .newBuilder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .callTimeout(timeout)
            .build());
    return c;
  }

  /** Ends every watch and stops the server. */
  @Override
  public void close() {
    closed = true;
    releaseLists();
    resumed.countDown();
    for (BlockingQueue<ObjectNode> q : watchers) {
      q.offer(POISON);
    }
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- direct access for tests ----

  /**
   * Creates {@code object} (a Kubernetes object as JSON text) in {@code resource} ({@code
   * v1/pods}).
   */
  public ObjectNode create(String resource, String json) {
    ObjectNode o = parse(json);
    String ns = o.path("metadata").path("namespace").asText("");
    Target t = new Target(resource, clusterScoped(resource) ? "" : ns, null, null, null);
    synchronized (lock) {
      return create(t, o).deepCopy();
    }
  }

  /** The stored object, if any ({@code namespace} empty for cluster-scoped resources). */
  public Optional<ObjectNode> get(String resource, String namespace, String name) {
    synchronized (lock) {
      ObjectNode o = bucket(resource).get(key(namespace, name));
      return Optional.ofNullable(o).map(ObjectNode::deepCopy);
    }
  }

  /** Every stored object of {@code resource}, ordered by key. */
  public List<ObjectNode> list(String resource) {
    synchronized (lock) {
      return new TreeMap<>(bucket(resource)).values().stream().map(ObjectNode::deepCopy).toList();
    }
  }

  /** Applies a JSON merge patch to a stored object as if a client had sent it. */
  public ObjectNode mergePatch(String resource, String namespace, String name, String patch) {
    synchronized (lock) {
      Target t = new Target(resource, namespace, name, "", null);
      ObjectNode cur = bucket(resource).get(key(namespace, name));
      if (cur == null) {
        throw new IllegalArgumentException("no " + resource + " " + key(namespace, name));
      }
      ObjectNode next = cur.deepCopy();
      merge(next, parse(patch));
      return store(t, next, "MODIFIED").deepCopy();
    }
  }

  /** Deletes a stored object; false when absent. */
  public boolean delete(String resource, String namespace, String name) {
    synchronized (lock) {
      ObjectNode o = bucket(resource).remove(key(namespace, name));
      if (o == null) {
        return false;
      }
      record(resource, "DELETED", o, nextRv());
      return true;
    }
  }

  /** The current resourceVersion (the version of the latest change). */
  public long resourceVersion() {
    synchronized (lock) {
      return resourceVersion;
    }
  }

  /** Forgets the change history up to now: watches from older versions get {@code 410 Gone}. */
  public void compact() {
    synchronized (lock) {
      compactedTo = resourceVersion;
      history.clear();
    }
  }

  /**
   * Makes the next request whose method equals {@code method} and whose path matches {@code
   * pathRegex} fail with {@code code} and a Status carrying {@code message}.
   */
  public void failNext(String method, String pathRegex, int code, String message) {
    synchronized (lock) {
      failures.add(new Failure(method, Pattern.compile(pathRegex), code, message));
    }
  }

  /**
   * From now on every request whose method matches the regex {@code methodRegex} and whose path
   * matches {@code pathRegex} gets no answer (and changes nothing) until {@link #resume} or {@link
   * #close}, as an API server behind a dead network path: the client waits for its own timeout.
   */
  public void hang(String methodRegex, String pathRegex) {
    hangs.add(new Match(Pattern.compile(methodRegex), Pattern.compile(pathRegex)));
  }

  /**
   * Ends every {@link #hang}: requests held so far are then served (as a slow network finally
   * delivers them, possibly after the client gave up), later ones at once.
   */
  public void resume() {
    hangs.clear();
    CountDownLatch old = resumed;
    resumed = new CountDownLatch(1);
    old.countDown();
  }

  /**
   * Makes the next request whose method equals {@code method} and whose path matches {@code
   * pathRegex} take effect as usual but lose its answer: the connection is closed without a
   * response, so the client sees an I/O error for a write that happened.
   */
  public void dropResponseNext(String method, String pathRegex) {
    synchronized (lock) {
      drops.add(new Match(Pattern.compile(Pattern.quote(method)), Pattern.compile(pathRegex)));
    }
  }

  /** Every request received so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Number of watch streams open now. */
  public int openWatches() {
    return openWatches.get();
  }

  // ---- HTTP ----

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      String rawQuery = ex.getRequestURI().getRawQuery();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String ctype =
          Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
      requests.add(new Request(method, path, rawQuery == null ? "" : rawQuery, ctype, body));
      Map<String, String> query = query(rawQuery);

      // Read before the rules, so a resume() in between cannot leave this request waiting.
      CountDownLatch release = resumed;
      if (hangs.stream().anyMatch(h -> h.test(method, path))) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (closed) {
          return;
        }
      }
      Optional<Failure> failure = takeFailure(method, path);
      if (failure.isPresent()) {
        send(ex, failure.get().code(), status(failure.get().code(), failure.get().message()));
        return;
      }
      Target t = target(path);
      if (t == null) {
        send(ex, 404, status(404, "the server could not find the requested resource " + path));
        return;
      }
      if ("GET".equals(method) && t.name() == null && "true".equals(query.get("watch"))) {
        watch(ex, t, query);
        return;
      }
      java.util.concurrent.CountDownLatch held = listsHeld;
      if (held != null && "GET".equals(method) && t.name() == null) {
        try {
          held.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      Reply r;
      boolean drop;
      synchronized (lock) {
        r = dispatch(method, t, query, body, ctype);
        drop = takeDrop(method, path);
      }
      if (drop) {
        // Closing the exchange before any response headers closes the connection.
        return;
      }
      send(ex, r.code(), r.body());
    } catch (RuntimeException e) {
      send(ex, 500, status(500, "fake apiserver: " + e));
    }
  }

  private record Reply(int code, JsonNode body) {}

  private Reply dispatch(
      String method, Target t, Map<String, String> query, String body, String ctype) {
    Map<String, ObjectNode> bucket = bucket(t.resource());
    if (t.name() == null) {
      return switch (method) {
        case "GET" -> new Reply(200, list(t, query));
        case "POST" -> {
          ObjectNode o = parse(body);
          String name = o.path("metadata").path("name").asText("");
          if (!name.isEmpty() && bucket.containsKey(t.key(t.namespace(), name))) {
            yield conflict(
                "AlreadyExists", kind(t.resource()) + " \"" + name + "\" already exists");
          }
          yield new Reply(201, create(t, o));
        }
        default -> new Reply(405, status(405, method + " not allowed on a collection"));
      };
    }
    String key = t.key(t.namespace(), t.name());
    ObjectNode cur = bucket.get(key);
    if ("binding".equals(t.subresource()) && "POST".equals(method)) {
      return bind(t, cur, parse(body));
    }
    if (cur == null && !"POST".equals(method)) {
      return new Reply(404, notFound(kind(t.resource()), t.name()));
    }
    return switch (method) {
      case "GET" -> new Reply(200, cur);
      case "DELETE" -> {
        bucket.remove(key);
        record(t.resource(), "DELETED", cur, nextRv());
        yield new Reply(200, cur);
      }
      case "PUT" -> {
        ObjectNode o = parse(body);
        String rv = o.path("metadata").path("resourceVersion").asText("");
        if (!rv.isEmpty() && !rv.equals(rvOf(cur))) {
          yield conflict("Conflict", conflictText(t, cur));
        }
        ObjectNode next;
        if ("status".equals(t.subresource())) {
          next = cur.deepCopy();
          next.set("status", o.path("status").deepCopy());
        } else {
          next = o;
          ObjectNode meta = (ObjectNode) next.with("metadata");
          meta.put("uid", cur.path("metadata").path("uid").asText());
          meta.put("creationTimestamp", cur.path("metadata").path("creationTimestamp").asText());
          meta.put("name", t.name());
          if (!t.namespace().isEmpty()) {
            meta.put("namespace", t.namespace());
          }
        }
        yield new Reply(200, store(t, next, "MODIFIED"));
      }
      case "PATCH" -> {
        if (!ctype.startsWith("application/merge-patch+json")
            && !ctype.startsWith("application/strategic-merge-patch+json")) {
          yield new Reply(415, status(415, "unsupported patch type " + ctype));
        }
        ObjectNode patch = parse(body);
        String rv = patch.path("metadata").path("resourceVersion").asText("");
        if (!rv.isEmpty() && !rv.equals(rvOf(cur))) {
          yield conflict("Conflict", conflictText(t, cur));
        }
        ObjectNode next = cur.deepCopy();
        if ("status".equals(t.subresource())) {
          ObjectNode only = F.objectNode();
          if (patch.has("status")) {
            only.set("status", patch.get("status"));
          }
          patch = only;
        }
        merge(next, patch);
        yield new Reply(200, store(t, next, "MODIFIED"));
      }
      default -> new Reply(405, status(405, method + " not allowed"));
    };
  }

  private Reply bind(Target t, ObjectNode pod, ObjectNode binding) {
    if (!"pods".equals(plural(t.resource()))) {
      return new Reply(404, status(404, "binding is a pods subresource"));
    }
    if (pod == null) {
      return new Reply(404, notFound("Pod", t.name()));
    }
    String uid = binding.path("metadata").path("uid").asText("");
    if (!uid.isEmpty() && !uid.equals(pod.path("metadata").path("uid").asText())) {
      return conflict(
          "Conflict", "Precondition failed: UID in precondition: " + uid + ", UID in object meta");
    }
    String node = binding.path("target").path("name").asText("");
    if (node.isEmpty()) {
      return new Reply(422, status(422, "Binding target name is required"));
    }
    String current = pod.path("spec").path("nodeName").asText("");
    if (!current.isEmpty()) {
      return conflict(
          "Conflict",
          "Operation cannot be fulfilled on pods/binding \""
              + t.name()
              + "\": pod "
              + t.name()
              + " is already assigned to node \""
              + current
              + "\"");
    }
    ObjectNode next = pod.deepCopy();
    ((ObjectNode) next.with("spec")).put("nodeName", node);
    store(t, next, "MODIFIED");
    ObjectNode ok = status(201, "");
    ok.put("status", "Success");
    ok.remove("reason");
    ok.remove("message");
    return new Reply(201, ok);
  }

  private String conflictText(Target t, ObjectNode cur) {
    return "Operation cannot be fulfilled on "
        + plural(t.resource())
        + " \""
        + t.name()
        + "\": the object has been modified; please apply your changes to the latest version"
        + " (current "
        + rvOf(cur)
        + ")";
  }

  private ObjectNode list(Target t, Map<String, String> query) {
    ObjectNode out = F.objectNode();
    out.put("apiVersion", t.apiVersion());
    out.put("kind", kind(t.resource()) + "List");
    out.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
    var items = out.putArray("items");
    for (ObjectNode o : new TreeMap<>(bucket(t.resource())).values()) {
      if (matches(t, query, o)) {
        items.add(o);
      }
    }
    return out;
  }

  private void watch(HttpExchange ex, Target t, Map<String, String> query) throws IOException {
    String from = query.getOrDefault("resourceVersion", "");
    long timeout = Long.parseLong(query.getOrDefault("timeoutSeconds", "1800"));
    Instant deadline = Instant.now().plusSeconds(timeout);
    BlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
    List<ObjectNode> backlog = new ArrayList<>();
    boolean gone = false;
    synchronized (lock) {
      if (from.isEmpty() || "0".equals(from)) {
        for (ObjectNode o : new TreeMap<>(bucket(t.resource())).values()) {
          if (matches(t, query, o)) {
            backlog.add(event("ADDED", o));
          }
        }
      } else {
        long since = Long.parseLong(from);
        if (since < compactedTo) {
          gone = true;
        } else {
          for (Change c : history) {
            if (c.rv() > since
                && c.resource().equals(t.resource())
                && matches(t, query, c.object())) {
              backlog.add(event(c.type(), c.object()));
            }
          }
        }
      }
      if (!gone) {
        queue.addAll(backlog);
        watchers.add(queue);
      }
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    if (gone) {
      ObjectNode err = F.objectNode();
      err.put("type", "ERROR");
      err.set(
          "object", status(410, "too old resource version: " + from + " (" + compactedTo + ")"));
      writeLine(out, err);
      return;
    }
    openWatches.incrementAndGet();
    try {
      while (!closed) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          break;
        }
        ObjectNode e = queue.poll(Math.min(left, 500), TimeUnit.MILLISECONDS);
        if (e == POISON) {
          break;
        }
        if (e == null) {
          continue;
        }
        if (!e.path("_resource").asText().isEmpty()) {
          // Live events carry their resource for filtering; replayed ones were filtered already.
          if (!e.path("_resource").asText().equals(t.resource())
              || !matches(t, query, (ObjectNode) e.get("object"))) {
            continue;
          }
          e = e.deepCopy();
          e.remove("_resource");
        }
        writeLine(out, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away; nothing to tell it.
    } finally {
      watchers.remove(queue);
      openWatches.decrementAndGet();
    }
  }

  private static void writeLine(OutputStream out, ObjectNode event) throws IOException {
    out.write(JSON.writeValueAsBytes(event));
    out.write('\n');
    out.flush();
  }

  private static ObjectNode event(String type, ObjectNode object) {
    ObjectNode e = F.objectNode();
    e.put("type", type);
    e.set("object", object.deepCopy());
    return e;
  }

  // ---- store ----

  private ObjectNode create(Target t, ObjectNode o) {
    ObjectNode meta = (ObjectNode) o.with("metadata");
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      String prefix = meta.path("generateName").asText("");
      name = prefix + UUID.randomUUID().toString().substring(0, 5);
      meta.put("name", name);
    }
    if (!t.namespace().isEmpty()) {
      meta.put("namespace", t.namespace());
    } else if (!clusterScoped(t.resource()) && meta.path("namespace").asText("").isEmpty()) {
      meta.put("namespace", "default");
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    String ns = clusterScoped(t.resource()) ? "" : meta.path("namespace").asText();
    if (bucket(t.resource()).containsKey(t.key(ns, name))) {
      throw new IllegalStateException(t.resource() + " " + t.key(ns, name) + " already exists");
    }
    return store(new Target(t.resource(), ns, name, "", t.apiVersion()), o, "ADDED");
  }

  private ObjectNode store(Target t, ObjectNode o, String type) {
    long rv = nextRv();
    ((ObjectNode) o.with("metadata")).put("resourceVersion", Long.toString(rv));
    String ns = clusterScoped(t.resource()) ? "" : o.path("metadata").path("namespace").asText();
    bucket(t.resource()).put(t.key(ns, o.path("metadata").path("name").asText()), o);
    record(t.resource(), type, o, rv);
    return o;
  }

  private void record(String resource, String type, ObjectNode o, long rv) {
    ObjectNode copy = o.deepCopy();
    if ("DELETED".equals(type)) {
      ((ObjectNode) copy.with("metadata")).put("resourceVersion", Long.toString(rv));
    }
    history.add(new Change(rv, resource, type, copy));
    ObjectNode e = event(type, copy);
    e.put("_resource", resource);
    for (BlockingQueue<ObjectNode> q : watchers) {
      q.offer(e);
    }
  }

  private long nextRv() {
    return ++resourceVersion;
  }

  private Map<String, ObjectNode> bucket(String resource) {
    return store.computeIfAbsent(resource, r -> new HashMap<>());
  }

  private static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  private static String rvOf(ObjectNode o) {
    return o.path("metadata").path("resourceVersion").asText();
  }

  private Optional<Failure> takeFailure(String method, String path) {
    synchronized (lock) {
      for (Iterator<Failure> it = failures.iterator(); it.hasNext(); ) {
        Failure f = it.next();
        if (f.method().equals(method) && f.path().matcher(path).matches()) {
          it.remove();
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  private boolean takeDrop(String method, String path) {
    for (Iterator<Match> it = drops.iterator(); it.hasNext(); ) {
      if (it.next().test(method, path)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  // ---- selectors ----

  private static boolean matches(Target t, Map<String, String> query, ObjectNode o) {
    JsonNode meta = o.path("metadata");
    if (!t.namespace().isEmpty() && !t.namespace().equals(meta.path("namespace").asText())) {
      return false;
    }
    String labels = query.getOrDefault("labelSelector", "");
    for (String term : labels.isEmpty() ? new String[0] : labels.split(",")) {
      if (!term(
          term, k -> meta.path("labels").has(k) ? meta.path("labels").get(k).asText() : null)) {
        return false;
      }
    }
    String fields = query.getOrDefault("fieldSelector", "");
    for (String term : fields.isEmpty() ? new String[0] : fields.split(",")) {
      if (!term(term, k -> fieldValue(o, k))) {
        return false;
      }
    }
    return true;
  }

  private static String fieldValue(ObjectNode o, String dotted) {
    JsonNode n = o;
    for (String part : dotted.split("\\.")) {
      n = n.path(part);
    }
    return n.isMissingNode() || n.isNull() ? "" : n.asText();
  }

  /** One {@code k=v}, {@code k==v}, {@code k!=v}, {@code k} or {@code !k} selector term. */
  private static boolean term(String term, java.util.function.Function<String, String> value) {
    term = term.trim();
    if (term.contains("!=")) {
      String[] kv = term.split("!=", 2);
      return !kv[1].trim().equals(value.apply(kv[0].trim()));
    }
    if (term.contains("=")) {
      String[] kv = term.split("==?", 2);
      return kv[1].trim().equals(value.apply(kv[0].trim()));
    }
    if (term.startsWith("!")) {
      return value.apply(term.substring(1)) == null;
    }
    return value.apply(term) != null;
  }

  // ---- paths and JSON ----

  private static Target target(String rawPath) {
    String[] seg =
        java.util.Arrays.stream(rawPath.split("/"))
            .filter(s -> !s.isEmpty())
            .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
            .toArray(String[]::new);
    int i;
    String group;
    String version;
    if (seg.length >= 2 && "api".equals(seg[0])) {
      group = "";
      version = seg[1];
      i = 2;
    } else if (seg.length >= 3 && "apis".equals(seg[0])) {
      group = seg[1];
      version = seg[2];
      i = 3;
    } else {
      return null;
    }
    String prefix = group.isEmpty() ? version : group + "/" + version;
    String ns = "";
    if (seg.length - i >= 3 && "namespaces".equals(seg[i])) {
      ns = seg[i + 1];
      i += 2;
    }
    if (seg.length - i < 1 || seg.length - i > 3) {
      return null;
    }
    String resource = prefix + "/" + seg[i];
    String name = seg.length - i >= 2 ? seg[i + 1] : null;
    String sub = seg.length - i == 3 ? seg[i + 2] : "";
    return new Target(resource, ns, name, sub, prefix);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static String plural(String resource) {
    return resource.substring(resource.lastIndexOf('/') + 1);
  }

  private static boolean clusterScoped(String resource) {
    String p = plural(resource);
    return p.equals("nodes") || p.equals("namespaces");
  }

  private static String kind(String resource) {
    return switch (plural(resource)) {
      case "pods" -> "Pod";
      case "nodes" -> "Node";
      case "leases" -> "Lease";
      case "events" -> "Event";
      case "namespaces" -> "Namespace";
      case "configmaps" -> "ConfigMap";
      default -> {
        String p = plural(resource);
        yield Character.toUpperCase(p.charAt(0)) + p.substring(1, p.length() - 1);
      }
    };
  }

  /** RFC 7386 merge; also the strategic merge for the map-only patches Tessera sends. */
  private static void merge(ObjectNode target, JsonNode patch) {
    patch
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              if (v.isNull()) {
                target.remove(e.getKey());
              } else if (v.isObject()) {
                JsonNode cur = target.get(e.getKey());
                ObjectNode child = cur instanceof ObjectNode o ? o : target.putObject(e.getKey());
                merge(child, v);
              } else {
                target.set(e.getKey(), v.deepCopy());
              }
            });
  }

  private static ObjectNode parse(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      if (!(n instanceof ObjectNode o)) {
        throw new IllegalArgumentException("expected a JSON object, got " + json);
      }
      return o;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
    }
  }

  private Reply conflict(String reason, String message) {
    ObjectNode s = status(409, message);
    s.put("reason", reason);
    return new Reply(409, s);
  }

  private static ObjectNode notFound(String kind, String name) {
    ObjectNode s =
        status(404, kind.toLowerCase(java.util.Locale.ROOT) + "s \"" + name + "\" not found");
    s.putObject("details")
        .put("name", name)
        .put("kind", kind.toLowerCase(java.util.Locale.ROOT) + "s");
    return s;
  }

  private static ObjectNode status(int code, String message) {
    ObjectNode s = F.objectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", message);
    s.put(
        "reason",
        switch (code) {
          case 404 -> "NotFound";
          case 409 -> "Conflict";
          case 410 -> "Expired";
          case 422 -> "Invalid";
          case 500 -> "InternalError";
          default -> "";
        });
    s.put("code", code);
    return s;
  }

  private static void send(HttpExchange ex, int code, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
