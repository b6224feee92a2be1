package dev.tessera.policies.drl;

/**
 * A weighted policy spec ({@code --policy fgd=1000,topology=10} or its YAML file) is malformed; the
 * message names the file or argument, the entry and what was expected.
 */
public final class PolicySpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PolicySpecException(String message) {
    super(message);
  }

  public PolicySpecException(String message, Throwable cause) {
    super(message, cause);
  }
}
