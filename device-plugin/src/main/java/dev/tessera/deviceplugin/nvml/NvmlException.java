package dev.tessera.deviceplugin.nvml;

/**
 * An NVML call returned an error. The message names the function, NVML's code and its text.
 *
 * @see Nvml
 */
public final class NvmlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code NVML_ERROR_NOT_SUPPORTED}: the device lacks the feature. */
  public static final int NOT_SUPPORTED = 3;

  /** {@code NVML_ERROR_INVALID_ARGUMENT}, also returned for an NVLink index the GPU lacks. */
  public static final int INVALID_ARGUMENT = 2;

  /** {@code NVML_ERROR_GPU_IS_LOST}: the GPU fell off the bus or is otherwise inaccessible. */
  public static final int GPU_IS_LOST = 15;

  private final String function;
  private final int code;

  public NvmlException(String function, int code, String text) {
    super(function + " failed: NVML error " + code + " (" + text + ")");
    this.function = function;
    this.code = code;
  }

  /** The NVML function that failed, e.g. {@code nvmlDeviceGetUUID}. */
  public String function() {
    return function;
  }

  /** NVML's {@code nvmlReturn_t} value. */
  public int code() {
    return code;
  }
}
