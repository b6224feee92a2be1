package dev.tessera.policies.drl;

/** A compiled policy failed while scoring: a rule threw, or inserted output for an unknown node. */
public final class PolicyEvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PolicyEvaluationException(String message, Throwable cause) {
    super(message, cause);
  }

  public PolicyEvaluationException(String message) {
    super(message);
  }
}
