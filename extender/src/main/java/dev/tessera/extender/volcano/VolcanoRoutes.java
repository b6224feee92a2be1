package dev.tessera.extender.volcano;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.fit.InvalidScoringWeightsException;
import dev.tessera.extender.http.HttpExchange;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.wire.WireException;
import dev.tessera.extender.wire.WireJson;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of Volcano's extender plugin: {@code POST <prefix>/volcano/<verb>}, one path per
 * verb name in {@link Verb}, so Volcano's {@code extender.urlPrefix} is {@code
 * http(s)://host:port<prefix>/volcano} and each {@code extender.<verb>Verb} argument is the verb's
 * name. Volcano POSTs JSON and treats every status but 200 as an error; answers are 200 with the
 * plugin's response JSON, 400 with a message naming the field when the body cannot be understood,
 * 404 for unknown verbs, 405 for other methods, 500 when Tessera itself failed. Each request's
 * latency goes to the extender's per-verb histogram as {@code volcano_<verb>}.
 */
public final class VolcanoRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(VolcanoRoutes.class);

  /** The path segment under the extender's prefix that Volcano's verbs live in. */
  public static final String PATH = "/volcano";

  /** The verbs served, by the names Volcano's documentation configures them with. */
  public enum Verb {
    /** Session start; the body (every job, node and queue) is ignored. */
    ON_SESSION_OPEN("onSessionOpen"),
    /** Session end; nothing to do. */
    ON_SESSION_CLOSE("onSessionClose"),
    /** Does the task fit the node: Tessera's filter for one node. */
    PREDICATE("predicate"),
    /** Node scores for the task: Tessera's prioritize. */
    PRIORITIZE("prioritize"),
    /** Tessera abstains: the other plugins choose victims. */
    PREEMPTABLE("preemptable"),
    /** Tessera abstains: the other plugins choose victims. */
    RECLAIMABLE("reclaimable"),
    /** Tessera never reports a queue overused. */
    QUEUE_OVERUSED("queueOverused"),
    /** Tessera abstains. */
    JOB_ENQUEUEABLE("jobEnqueueable"),
    /** Tessera never holds a job back. */
    JOB_READY("jobReady");

    private final String wire;

    Verb(String wire) {
      this.wire = wire;
    }

    /** The path segment and the {@code extender.<name>Verb} value, e.g. {@code predicate}. */
    public String wire() {
      return wire;
    }

    /** The label of the latency histogram, e.g. {@code volcano_predicate}. */
    public String metric() {
      return "volcano_" + wire;
    }

    static Optional<Verb> of(String wire) {
      return Arrays.stream(values()).filter(v -> v.wire.equals(wire)).findFirst();
    }
  }

  private static final String KNOWN =
      Arrays.stream(Verb.values()).map(Verb::wire).collect(Collectors.joining(", "));

  private final VolcanoExtender volcano;
  private final ExtenderMetrics metrics;
  private final WireJson wire;

  public VolcanoRoutes(VolcanoExtender volcano, ExtenderMetrics metrics, WireJson wire) {
    this.volcano = volcano;
    this.metrics = metrics;
    this.wire = wire;
  }

  /**
   * Answers one request.
   *
   * @param method request method, upper case
   * @param verb the path after {@code <prefix>/volcano/}, e.g. {@code predicate}
   * @param body the request body
   */
  public HttpExchange.Response handle(String method, String verb, byte[] body) {
    Optional<Verb> known = Verb.of(verb);
    if (known.isEmpty()) {
      return HttpExchange.Response.text(
          404, "no such Volcano verb: " + PATH + "/" + verb + "; known: " + KNOWN);
    }
    if (!"POST".equals(method)) {
      return HttpExchange.Response.text(405, "Volcano verb " + verb + " takes POST");
    }
    long start = System.nanoTime();
    try {
      return answer(known.get(), body);
    } finally {
      metrics.observe(known.get().metric(), System.nanoTime() - start);
    }
  }

  private HttpExchange.Response answer(Verb verb, byte[] body) {
    try {
      JsonNode json = read(verb, body);
      Object answer =
          switch (verb) {
            case PREDICATE -> volcano.predicate(VolcanoWire.PredicateRequest.from(json));
            case PRIORITIZE -> volcano.prioritize(VolcanoWire.PrioritizeRequest.from(json));
            case PREEMPTABLE, RECLAIMABLE -> VolcanoWire.VictimsResponse.ABSTAINS;
            case JOB_ENQUEUEABLE -> VolcanoWire.VoteResponse.ABSTAINS;
            case QUEUE_OVERUSED -> VolcanoWire.QueueOverusedResponse.NOT_OVERUSED;
            case JOB_READY -> VolcanoWire.JobReadyResponse.READY;
            case ON_SESSION_OPEN, ON_SESSION_CLOSE -> Map.of();
          };
      return new HttpExchange.Response(200, HttpExchange.Response.JSON, wire.write(answer));
    } catch (WireException | InvalidScoringWeightsException e) {
      LOG.warn("verb={} rejected request: {}", verb.metric(), e.getMessage());
      return HttpExchange.Response.text(400, verb.wire() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("verb={} failed", verb.metric(), e);
      return HttpExchange.Response.text(500, verb.wire() + " failed: " + e);
    }
  }

  /**
   * The body as a JSON object. Every verb needs one; the answers of the verbs Tessera abstains from
   * do not depend on its content, so only predicate and prioritize look inside (which also keeps
   * older Volcano releases working, which sent jobEnqueueable and queueOverused bodies to the
   * reclaimable verb's path).
   */
  private JsonNode read(Verb verb, byte[] body) {
    if (body.length == 0) {
      throw new WireException("empty request body; expected a JSON object");
    }
    JsonNode json;
    try {
      json = wire.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new WireException(
          "body is not JSON"
              + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr())
              + (loc == null ? "" : ")")
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new WireException("cannot read body: " + e.getMessage(), e);
    }
    VolcanoWire.requireObject(json, "request body", verb.wire() + " request");
    return json;
  }
}
