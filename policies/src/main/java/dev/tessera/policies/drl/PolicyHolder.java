package dev.tessera.policies.drl;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy currently serving, replaced only by a policy that compiled: a broken reload leaves the
 * previous one in place and reports every error.
 */
public final class PolicyHolder {
  private final AtomicReference<PolicyScorer> current;

  public PolicyHolder(Policy initial) {
    current = new AtomicReference<>(initial.scorer());
  }

  /** The scorer of the policy serving now. */
  public PolicyScorer current() {
    return current.get();
  }

  /**
   * Compiles {@code sources} and, only if they compile, makes them the serving policy.
   *
   * @return the new policy
   * @throws PolicyCompileException with every error; the previous policy keeps serving
   */
  public Policy reload(String name, List<PolicySource> sources) {
    Policy next = PolicyCompiler.compile(name, sources);
    current.set(next.scorer());
    return next;
  }
}
