package dev.tessera.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.sim.bench.BenchPods;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A lean extender client that behaves on the wire like kube-scheduler's {@code HTTPExtender}:
 * HTTP/1.1 keep-alive POSTs over plain sockets, a pool of idle connections reused across calls, and
 * the same JSON bodies ({@code {"Pod":…,"Nodes":null,"NodeNames":[…]}}, {@code
 * {"PodName","PodNamespace","PodUID","Node"}}). Thread-safe: each call borrows a connection.
 *
 * <p>It exists so that the load generator measures the extender rather than a heavyweight client:
 * request bodies are spliced from pre-encoded templates (only the pod's name and UID change), the
 * filter answer's {@code NodeNames} array is copied byte for byte into the prioritize request, and
 * answers are scanned only for what a scheduler acts on (feasible names, scores, bind error). Pod
 * names must be plain (letters, digits, {@code -}, {@code .}) so that they need no JSON escaping.
 */
final class LeanExtenderClient implements AutoCloseable {
  private static final byte[] NODE_NAMES_KEY = ascii("\"NodeNames\":");
  private static final byte[] ERROR_KEY = ascii("\"Error\":");
  private static final byte[] HOST_KEY = ascii("\"Host\":\"");
  private static final byte[] SCORE_KEY = ascii("\"Score\":");
  private static final String NAME_MARK = "@@POD@@";

  private final String host;
  private final int port;
  private final byte[] allNames;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<Long, String[]> podTemplates = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

  /**
   * A client for the extender at {@code host:port}; filter always offers {@code nodeNames} (the
   * {@code nodeCacheCapable: true} mode).
   */
  LeanExtenderClient(String host, int port, List<String> nodeNames) {
    this.host = host;
    this.port = port;
    try {
      this.allNames = json.writeValueAsBytes(nodeNames);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The filter answer: the raw {@code NodeNames} JSON array and how many names it holds. */
  record Feasible(byte[] namesJson, int count) {}

  /** A scored host as read from prioritize. */
  record Scored(String host, long score) {}

  /**
   * Filter over all nodes for a pending pod {@code name} in namespace {@code bench} asking one GPU
   * with {@code memMiB} MiB and {@code cores} % cores (as {@link BenchPods#pod}).
   *
   * @throws IllegalStateException on a non-200 answer or a non-empty {@code Error}
   */
  Feasible filter(String name, int memMiB, int cores) {
    return filter(name, memMiB, cores, allNames);
  }

  /** {@link #filter(String, int, int)} offering only {@code namesJson}, a JSON array of names. */
  Feasible filter(String name, int memMiB, int cores, byte[] namesJson) {
    byte[] answer = post("/filter", podArgs(name, memMiB, cores, namesJson));
    checkError("filter", answer);
    int key = indexOf(answer, NODE_NAMES_KEY, 0);
    if (key < 0) {
      return new Feasible(ascii("[]"), 0);
    }
    int start = skipSpace(answer, key + NODE_NAMES_KEY.length);
    if (answer[start] != '[') {
      return new Feasible(ascii("[]"), 0); // null
    }
    int count = 0;
    int i = start + 1;
    boolean inString = false;
    for (; i < answer.length; i++) {
      byte b = answer[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
        count++;
      } else if (b == ']') {
        break;
      }
    }
    byte[] raw = new byte[i + 1 - start];
    System.arraycopy(answer, start, raw, 0, raw.length);
    return new Feasible(raw, count);
  }

  /** Prioritize the {@code feasible} nodes for the pod; the answer's hosts and scores. */
  List<Scored> prioritize(String name, int memMiB, int cores, Feasible feasible) {
    byte[] answer = post("/prioritize", podArgs(name, memMiB, cores, feasible.namesJson()));
    var out = new ArrayList<Scored>(feasible.count());
    int i = 0;
    while ((i = indexOf(answer, HOST_KEY, i)) >= 0) {
      int s = i + HOST_KEY.length;
      int e = s;
      while (answer[e] != '"') {
        e++;
      }
      String h = new String(answer, s, e - s, StandardCharsets.UTF_8);
      int k = indexOf(answer, SCORE_KEY, e);
      if (k < 0) {
        throw new IllegalStateException("prioritize: no Score for " + h);
      }
      int d = skipSpace(answer, k + SCORE_KEY.length);
      long score = 0;
      boolean negative = answer[d] == '-';
      if (negative) {
        d++;
      }
      for (; d < answer.length && answer[d] >= '0' && answer[d] <= '9'; d++) {
        score = score * 10 + (answer[d] - '0');
      }
      out.add(new Scored(h, negative ? -score : score));
      i = d;
    }
    return out;
  }

  /**
   * Bind pod {@code name} (namespace {@code bench}, UID {@code uid-<name>}) to {@code node}.
   *
   * @return the extender's {@code Error}, or the empty string when the bind succeeded
   */
  String bind(String name, String node) {
    String body =
        "{\"PodName\":\""
            + plain(name)
            + "\",\"PodNamespace\":\"bench\",\"PodUID\":\"uid-"
            + name
            + "\",\"Node\":\""
            + plain(node)
            + "\"}";
    return error(post("/bind", ascii(body)));
  }

  private static void checkError(String verb, byte[] answer) {
    String e = error(answer);
    if (!e.isEmpty()) {
      throw new IllegalStateException(verb + ": " + e);
    }
  }

  /** The top-level {@code Error} string, empty when absent or null. */
  private static String error(byte[] answer) {
    int k = indexOf(answer, ERROR_KEY, 0);
    if (k < 0) {
      return "";
    }
    int s = skipSpace(answer, k + ERROR_KEY.length);
    if (answer[s] != '"') {
      return "";
    }
    var text = new StringBuilder();
    for (int i = s + 1; i < answer.length && answer[i] != '"'; i++) {
      if (answer[i] == '\\') {
        i++;
      }
      text.append((char) answer[i]);
    }
    return text.toString();
  }

  /** {@code {"Pod":<pod>,"Nodes":null,"NodeNames":<names>}} from the shape's template. */
  private byte[] podArgs(String name, int memMiB, int cores, byte[] names) {
    String[] parts =
        podTemplates.computeIfAbsent(
            ((long) memMiB << 32) | cores, k -> template(memMiB, cores).split(NAME_MARK, -1));
    var b = new ByteArrayOutputStream(parts[0].length() * 2 + names.length + 64);
    String plainName = plain(name);
    for (int p = 0; p < parts.length; p++) {
      if (p > 0) {
        b.writeBytes(ascii(plainName));
      }
      b.writeBytes(ascii(parts[p]));
    }
    b.writeBytes(names);
    b.write('}');
    return b.toByteArray();
  }

  private String template(int memMiB, int cores) {
    try {
      return "{\"Pod\":"
          + json.writeValueAsString(BenchPods.pod(NAME_MARK, memMiB, cores))
          + ",\"Nodes\":null,\"NodeNames\":";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '.') {
        throw new IllegalArgumentException("name needs JSON escaping: " + s);
      }
    }
    return s;
  }

  private byte[] post(String path, byte[] body) {
    Connection c = idle.poll();
    for (int attempt = 0; ; attempt++) {
      if (c == null) {
        c = open();
      }
      byte[] answer;
      try {
        answer = c.exchange(path, body);
      } catch (IOException e) {
        c.close();
        c = null;
        // a kept-alive connection the server closed meanwhile: retry once on a fresh one, as Go
        // does
        if (attempt > 0) {
          throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
        continue;
      } catch (RuntimeException e) {
        release(c); // a non-200 answer was read in full, so the connection stays usable
        throw e;
      }
      release(c);
      return answer;
    }
  }

  private void release(Connection c) {
    if (c.reusable) {
      idle.add(c);
    } else {
      c.close();
    }
  }

  private Connection open() {
    try {
      var s = new Socket();
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(new InetSocketAddress(host, port), 5000);
      s.setSoTimeout(30_000);
      return new Connection(s, host + ":" + port);
    } catch (IOException e) {
      throw new UncheckedIOException("connect " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (Connection c = idle.poll(); c != null; c = idle.poll()) {
      c.close();
    }
  }

  /** One keep-alive HTTP/1.1 connection; used by one thread at a time. */
  private static final class Connection {
    private final Socket socket;
    private final byte[] hostHeader;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream(16 * 1024);
    private boolean reusable = true;

    Connection(Socket socket, String hostPort) throws IOException {
      this.socket = socket;
      this.hostHeader = ascii("Host: " + hostPort + "\r\n");
      this.out = socket.getOutputStream();
      this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    byte[] exchange(String path, byte[] body) throws IOException {
      request.reset();
      request.writeBytes(ascii("POST " + path + " HTTP/1.1\r\n"));
      request.writeBytes(hostHeader);
      request.writeBytes(
          ascii(
              "User-Agent: Go-http-client/1.1\r\nContent-Length: "
                  + body.length
                  + "\r\nContent-Type: application/json\r\nAccept-Encoding: identity\r\n\r\n"));
      request.writeBytes(body);
      request.writeTo(out);
      out.flush();
      return readResponse(path);
    }

    private byte[] readResponse(String path) throws IOException {
      String status = line();
      if (status.isEmpty()) {
        throw new IOException("connection closed");
      }
      int sp = status.indexOf(' ');
      int code = Integer.parseInt(status.substring(sp + 1, sp + 4));
      int length = -1;
      boolean chunked = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        String name = h.substring(0, colon).trim();
        String value = h.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Integer.parseInt(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        } else if (name.equalsIgnoreCase("Connection")) {
          reusable = !value.equalsIgnoreCase("close");
        }
      }
      byte[] body;
      if (chunked) {
        var b = new ByteArrayOutputStream();
        for (int n = Integer.parseInt(line().split(";")[0].trim(), 16);
            n > 0;
            n = Integer.parseInt(line().split(";")[0].trim(), 16)) {
          b.writeBytes(in.readNBytes(n));
          line();
        }
        while (!line().isEmpty()) {
          // trailers
        }
        body = b.toByteArray();
      } else if (length >= 0) {
        body = in.readNBytes(length);
        if (body.length < length) {
          throw new IOException("short body");
        }
      } else {
        body = in.readAllBytes();
        reusable = false;
      }
      if (code != 200) {
        throw new IllegalStateException(
            path + ": HTTP " + code + ": " + new String(body, StandardCharsets.UTF_8));
      }
      return body;
    }

    private String line() throws IOException {
      var sb = new StringBuilder(64);
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          return sb.toString();
        }
        if (b != '\r') {
          sb.append((char) b);
        }
      }
      return sb.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a socket we are giving up on: nothing to report
      }
    }
  }

  private static int skipSpace(byte[] a, int i) {
    while (i < a.length && (a[i] == ' ' || a[i] == '\n' || a[i] == '\r' || a[i] == '\t')) {
      i++;
    }
    return i;
  }

  private static int indexOf(byte[] a, byte[] key, int from) {
    outer:
    for (int i = from; i <= a.length - key.length; i++) {
      for (int j = 0; j < key.length; j++) {
        if (a[i + j] != key[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
