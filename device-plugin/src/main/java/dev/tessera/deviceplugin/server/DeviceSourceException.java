package dev.tessera.deviceplugin.server;

/** The device source cannot list GPUs; the message names the source and what is wrong. */
public final class DeviceSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceSourceException(String message) {
    super(message);
  }

  public DeviceSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
