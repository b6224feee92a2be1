package dev.tessera.deviceplugin.nvml;

import dev.tessera.deviceplugin.server.DeviceSourceException;

/**
 * NVML cannot be used on this machine: {@code libnvidia-ml.so.1} is not loadable or {@code
 * nvmlInit} failed. The message says which and what to do about it.
 */
public final class NvmlUnavailableException extends DeviceSourceException {
  private static final long serialVersionUID = 1L;

  public NvmlUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
