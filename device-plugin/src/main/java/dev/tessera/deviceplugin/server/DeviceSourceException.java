package dev.tessera.deviceplugin.server;

/**
 * The device source cannot list GPUs; the message names the source and what is wrong. Not final:
 * {@link dev.tessera.deviceplugin.nvml.NvmlUnavailableException} narrows it.
 */
public class DeviceSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceSourceException(String message) {
    super(message);
  }

  public DeviceSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
