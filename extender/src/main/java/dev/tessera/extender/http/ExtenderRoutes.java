package dev.tessera.extender.http;

import dev.tessera.extender.core.Extender;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.volcano.VolcanoExtender;
import dev.tessera.extender.volcano.VolcanoRoutes;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.WireException;
import dev.tessera.extender.wire.WireJson;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The extender's HTTP surface: {@code POST <prefix>/filter}, {@code <prefix>/prioritize}, {@code
 * <prefix>/bind} (kube-scheduler's verbs), Volcano's extender plugin verbs under {@code
 * <prefix>/volcano/} ({@link VolcanoRoutes}) and {@code GET /healthz}, {@code /readyz}, {@code
 * /metrics}. As in HAMi, verb answers are HTTP 200 with any problem in the body's {@code Error},
 * except a missing body (400); kube-scheduler treats every non-200 as an error anyway.
 */
public final class ExtenderRoutes implements HttpHandler {
  private final Extender extender;
  private final ExtenderMetrics metrics;
  private final WireJson wire;
  private final String prefix;
  private final BooleanSupplier ready;
  private final VolcanoRoutes volcano;

  /**
   * @param prefix path prefix of the verbs, e.g. {@code ""} or {@code /tessera}
   * @param ready whether {@code /readyz} answers 200 (state synced, policy loaded)
   */
  public ExtenderRoutes(
      Extender extender,
      ExtenderMetrics metrics,
      WireJson wire,
      String prefix,
      BooleanSupplier ready) {
    this.extender = extender;
    this.metrics = metrics;
    this.wire = wire;
    this.prefix = normalise(prefix);
    this.ready = ready;
    this.volcano = new VolcanoRoutes(new VolcanoExtender(extender, metrics), metrics, wire);
  }

  /** {@code "tessera/"} → {@code "/tessera"}; empty stays empty. */
  static String normalise(String prefix) {
    String p = prefix == null ? "" : prefix.trim();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() || p.startsWith("/") ? p : "/" + p;
  }

  @Override
  public HttpExchange.Response handle(HttpExchange req) {
    String path = req.path();
    switch (path) {
      case "/healthz":
        return HttpExchange.Response.text(200, "ok");
      case "/readyz":
        return ready.getAsBoolean()
            ? HttpExchange.Response.text(200, "ok")
            : HttpExchange.Response.text(503, "not ready");
      case "/metrics":
        return new HttpExchange.Response(200, metrics.contentType(), metrics.scrape());
      default:
        break;
    }
    if (!path.startsWith(prefix)) {
      return HttpExchange.Response.text(404, "no such path: " + path);
    }
    String verb = path.substring(prefix.length());
    if (verb.startsWith(VolcanoRoutes.PATH + "/")) {
      return volcano.handle(
          req.method(), verb.substring(VolcanoRoutes.PATH.length() + 1), req.body());
    }
    if (!List.of("/filter", "/prioritize", "/bind").contains(verb)) {
      return HttpExchange.Response.text(404, "no such path: " + path);
    }
    if (!"POST".equals(req.method())) {
      return HttpExchange.Response.text(405, verb.substring(1) + " takes POST");
    }
    if (req.body().length == 0) {
      return HttpExchange.Response.text(400, "Please send a request body");
    }
    return switch (verb) {
      case "/filter" -> json(filter(req.body()));
      case "/prioritize" -> json(prioritize(req.body()));
      default -> json(bind(req.body()));
    };
  }

  private Object filter(byte[] body) {
    try {
      return extender.filter(wire.read(body, ExtenderArgs.class));
    } catch (WireException e) {
      return ExtenderFilterResult.error(e.getMessage());
    }
  }

  private Object prioritize(byte[] body) {
    try {
      return extender.prioritize(wire.read(body, ExtenderArgs.class));
    } catch (WireException e) {
      // kube-scheduler ignores prioritize errors; an empty list scores nothing
      return List.of();
    }
  }

  private Object bind(byte[] body) {
    try {
      return extender.bind(wire.read(body, ExtenderBindingArgs.class));
    } catch (WireException e) {
      return new ExtenderBindingResult(e.getMessage());
    }
  }

  private HttpExchange.Response json(Object value) {
    return new HttpExchange.Response(200, HttpExchange.Response.JSON, wire.write(value));
  }
}
