package dev.tessera.deviceplugin.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few core/v1 endpoints the device plugin calls (list pods by node, get pod, get node, merge
 * patch pod and node), over a local HTTP server. Patches apply to {@code metadata.annotations} and
 * honour a {@code resourceVersion} precondition like the API server.
 */
final class StubApiServer implements AutoCloseable {
  record Request(String method, String path, String contentType, String body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  final List<Request> requests = new ArrayList<>();
  private final Map<String, ObjectNode> pods = new LinkedHashMap<>();
  private final Map<String, ObjectNode> nodes = new LinkedHashMap<>();
  private final HttpServer server;
  private int version = 100;
  int conflictsToInject;
  int failuresToInject;

  StubApiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  ApiClient client() {
    var c = new ApiClient();
    c.setBasePath("http://127.0.0.1:" + server.getAddress().getPort());
    return c;
  }

  synchronized void putPod(String json) throws IOException {
    var pod = (ObjectNode) JSON.readTree(json);
    ((ObjectNode) pod.get("metadata")).put("resourceVersion", Integer.toString(version++));
    pods.put(pod.at("/metadata/namespace").asText() + "/" + pod.at("/metadata/name").asText(), pod);
  }

  synchronized void putNode(String name, Map<String, String> annotations) {
    var node = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
    var meta = node.putObject("metadata").put("name", name);
    meta.put("resourceVersion", Integer.toString(version++));
    var a = meta.putObject("annotations");
    annotations.forEach(a::put);
    nodes.put(name, node);
  }

  synchronized JsonNode pod(String ns, String name) {
    return pods.get(ns + "/" + name);
  }

  synchronized JsonNode node(String name) {
    return nodes.get(name);
  }

  private synchronized void handle(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getPath();
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(new Request(method, path, x.getRequestHeaders().getFirst("Content-Type"), body));
    if (failuresToInject > 0) {
      failuresToInject--;
      status(x, 500, "InternalError", "etcd is unavailable");
      return;
    }
    String[] p = path.split("/");
    if (method.equals("GET") && path.equals("/api/v1/pods")) {
      String selector = query(x, "fieldSelector");
      var list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "PodList");
      list.putObject("metadata");
      var items = list.putArray("items");
      for (var pod : pods.values()) {
        if (selector.equals("spec.nodeName=" + pod.at("/spec/nodeName").asText())) {
          items.add(pod);
        }
      }
      send(x, 200, list);
    } else if (p.length == 7 && p[5].equals("pods")) {
      apply(x, method, pods, p[4] + "/" + p[6], "pods", body);
    } else if (p.length == 5 && p[3].equals("nodes")) {
      apply(x, method, nodes, p[4], "nodes", body);
    } else {
      status(x, 404, "NotFound", "no route " + path);
    }
  }

  private void apply(
      HttpExchange x,
      String method,
      Map<String, ObjectNode> store,
      String key,
      String kind,
      String body)
      throws IOException {
    ObjectNode obj = store.get(key);
    if (obj == null) {
      status(x, 404, "NotFound", kind + " \"" + key + "\" not found");
      return;
    }
    if (method.equals("GET")) {
      send(x, 200, obj);
      return;
    }
    JsonNode patch = JSON.readTree(body);
    var meta = (ObjectNode) obj.get("metadata");
    JsonNode rv = patch.at("/metadata/resourceVersion");
    if (conflictsToInject > 0 && !rv.isMissingNode()) {
      conflictsToInject--;
      // Someone else wrote the object in the meantime.
      meta.put("resourceVersion", Integer.toString(version++));
    }
    if (!rv.isMissingNode() && !rv.asText().equals(meta.get("resourceVersion").asText())) {
      status(x, 409, "Conflict", "the object has been modified");
      return;
    }
    var annotations =
        meta.has("annotations")
            ? (ObjectNode) meta.get("annotations")
            : meta.putObject("annotations");
    for (var e : patch.at("/metadata/annotations").properties()) {
      if (e.getValue().isNull()) {
        annotations.remove(e.getKey());
      } else {
        annotations.set(e.getKey(), e.getValue());
      }
    }
    meta.put("resourceVersion", Integer.toString(version++));
    send(x, 200, obj);
  }

  private static String query(HttpExchange x, String name) {
    String q = x.getRequestURI().getRawQuery();
    if (q == null) {
      return "";
    }
    for (String kv : q.split("&")) {
      int i = kv.indexOf('=');
      if (i > 0 && kv.substring(0, i).equals(name)) {
        return URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static void status(HttpExchange x, int code, String reason, String message)
      throws IOException {
    var s =
        JSON.createObjectNode()
            .put("apiVersion", "v1")
            .put("kind", "Status")
            .put("status", "Failure")
            .put("message", message)
            .put("reason", reason)
            .put("code", code);
    send(x, code, s);
  }

  private static void send(HttpExchange x, int code, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(code, bytes.length);
    try (var out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
