package dev.tessera.deviceplugin.config;

/**
 * {@code config.json} cannot be read or does not have the expected shape; the message names the
 * file and the JSON path of the offending field.
 */
public final class NodeConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String field;

  public NodeConfigException(String file, String field, String problem, Throwable cause) {
    super(file + (field.isEmpty() ? "" : ": " + field) + ": " + problem, cause);
    this.file = file;
    this.field = field;
  }

  /** The file name as given to the parser. */
  public String file() {
    return file;
  }

  /**
   * JSON path of the offending field, e.g. {@code nodeconfig[1].devicesplitcount}; may be empty.
   */
  public String field() {
    return field;
  }
}
