package dev.tessera.engine.admission;

/**
 * A container whose GPU resources the webhook refuses (for example {@code
 * nvidia.com/gpumem-percentage} outside [0, 100]). HAMi answers with {@code allowed: false} and
 * status code 500; the message names the container, the resource and the value.
 */
public final class InvalidResourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String container;
  private final String resource;

  public InvalidResourceException(String container, String resource, String message) {
    super(message);
    this.container = container;
    this.resource = resource;
  }

  /** Name of the offending container. */
  public String container() {
    return container;
  }

  /** The resource whose value was refused. */
  public String resource() {
    return resource;
  }
}
