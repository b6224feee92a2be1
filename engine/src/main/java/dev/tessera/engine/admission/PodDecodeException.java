package dev.tessera.engine.admission;

/**
 * A pod object the webhook cannot read (HAMi answers status code 400). The message names the JSON
 * field, what was found and what was expected.
 */
public final class PodDecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public PodDecodeException(String field, String problem) {
    super("pod field " + field + ": " + problem);
    this.field = field;
  }

  /** JSON path of the offending field, e.g. {@code spec.containers[0].resources.limits}. */
  public String field() {
    return field;
  }
}
