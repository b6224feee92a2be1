package dev.tessera.extender.kube;

/**
 * A bind that did not happen. The message names the pod, the node and the API server's answer; it
 * is returned to kube-scheduler as the bind error.
 */
public final class BindException extends Exception {
  private static final long serialVersionUID = 1L;

  public BindException(String message) {
    super(message);
  }

  public BindException(String message, Throwable cause) {
    super(message, cause);
  }
}
