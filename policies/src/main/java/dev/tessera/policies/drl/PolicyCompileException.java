package dev.tessera.policies.drl;

import java.util.List;

/**
 * A policy was rejected; the message has one {@code file:line:col: message} line per error, in file
 * order, so users can jump to each.
 */
public final class PolicyCompileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  /** One error line, already in {@code file:line:col: message} form. */
  public PolicyCompileException(String error) {
    this(List.of(error));
  }

  /** Every error line, each in {@code file:line:col: message} form. */
  public PolicyCompileException(List<String> errors) {
    super(String.join("\n", errors));
    this.errors = List.copyOf(errors);
  }

  /** Each error as {@code file:line:col: message}. */
  public List<String> errors() {
    return errors;
  }
}
