package dev.tessera.extender;

import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.extender.wire.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** A real HTTP client for the extender's verbs, as kube-scheduler would call them. */
public final class ExtenderClient {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final WireJson wire = new WireJson();
  private final String base;

  public ExtenderClient(int port, String prefix) {
    this.base = "http://127.0.0.1:" + port + prefix;
  }

  public HttpResponse<byte[]> post(String verb, byte[] body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/" + verb))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/json")
            .build());
  }

  public HttpResponse<byte[]> get(String absolutePath, int port) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + absolutePath)).build());
  }

  private HttpResponse<byte[]> send(HttpRequest r) {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public ExtenderFilterResult filter(ExtenderArgs args) {
    return wire.read(ok(post("filter", wire.write(args))), ExtenderFilterResult.class);
  }

  public List<HostPriority> prioritize(ExtenderArgs args) {
    return wire.readPriorities(ok(post("prioritize", wire.write(args))));
  }

  public ExtenderBindingResult bind(ExtenderBindingArgs args) {
    return wire.read(ok(post("bind", wire.write(args))), ExtenderBindingResult.class);
  }

  private static byte[] ok(HttpResponse<byte[]> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body()));
    }
    return r.body();
  }
}
