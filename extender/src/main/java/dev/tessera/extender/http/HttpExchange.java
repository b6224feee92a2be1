package dev.tessera.extender.http;

/**
 * One HTTP request and its answer, independent of the server library.
 *
 * @param method request method, upper case
 * @param path request path without the query string
 * @param body request body (empty when none)
 */
public record HttpExchange(String method, String path, byte[] body) {
  /**
   * An answer.
   *
   * @param status HTTP status code
   * @param contentType {@code Content-Type} header value
   * @param body response body
   */
  public record Response(int status, String contentType, byte[] body) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public static Response text(int status, String text) {
      return new Response(status, TEXT, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
