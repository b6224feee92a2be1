package dev.tessera.extender.wire;

/** A request body or object that does not follow the extender protocol; the message says where. */
public final class WireException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WireException(String message) {
    super(message);
  }

  public WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
