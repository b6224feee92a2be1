package dev.tessera.extender.state;

/** Writing annotations or the Binding failed; the message is returned to kube-scheduler as is. */
public final class BindException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BindException(String message) {
    super(message);
  }

  public BindException(String message, Throwable cause) {
    super(message, cause);
  }
}
