package dev.tessera.engine.config;

/**
 * A {@code device-config.yaml} that cannot be used. The message names the file, the field (as a
 * dotted path such as {@code nvidia.defaultMemory}) and the expected type, so it can be shown to an
 * operator as is.
 */
public final class DeviceConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String field;

  public DeviceConfigException(String source, String field, String problem) {
    this(source, field, problem, null);
  }

  public DeviceConfigException(String source, String field, String problem, Throwable cause) {
    super(source + ": " + (field.isEmpty() ? "" : "field " + field + ": ") + problem, cause);
    this.source = source;
    this.field = field;
  }

  /** The file (or other source name) being read. */
  public String source() {
    return source;
  }

  /** The dotted path of the offending field; empty when the whole document is at fault. */
  public String field() {
    return field;
  }
}
