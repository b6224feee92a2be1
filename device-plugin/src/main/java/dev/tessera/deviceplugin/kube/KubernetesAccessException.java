package dev.tessera.deviceplugin.kube;

/** An API-server call failed; the message names the call and the server's answer. */
public final class KubernetesAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  public KubernetesAccessException(String message, int code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The HTTP status, 0 when the server was not reached. */
  public int code() {
    return code;
  }
}
