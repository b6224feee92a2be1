package dev.tessera.engine.admission;

/**
 * A resource value that is not a Kubernetes quantity. The message names the resource, the value and
 * the expected form, so it can be shown to a user as is.
 */
public final class QuantityException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final String value;

  public QuantityException(String resource, String value, String problem) {
    super(
        "resource "
            + resource
            + ": invalid quantity \""
            + value
            + "\": "
            + problem
            + " (expected a Kubernetes quantity such as 1, 4096, 500m, 16Gi or 1e3)");
    this.resource = resource;
    this.value = value;
  }

  /** The resource name whose value failed, e.g. {@code nvidia.com/gpumem}. */
  public String resource() {
    return resource;
  }

  /** The offending value as written. */
  public String value() {
    return value;
  }
}
