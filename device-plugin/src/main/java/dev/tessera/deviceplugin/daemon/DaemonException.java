package dev.tessera.deviceplugin.daemon;

/** The device plugin cannot start: a bad option or configuration value; the message says which. */
public final class DaemonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DaemonException(String message) {
    super(message);
  }

  public DaemonException(String message, Throwable cause) {
    super(message, cause);
  }
}
