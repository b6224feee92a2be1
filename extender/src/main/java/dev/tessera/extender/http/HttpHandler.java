package dev.tessera.extender.http;

/** Answers one request; called on a worker thread, never on a network event loop. */
@FunctionalInterface
public interface HttpHandler {
  HttpExchange.Response handle(HttpExchange request);
}
