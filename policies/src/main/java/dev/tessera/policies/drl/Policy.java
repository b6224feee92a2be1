package dev.tessera.policies.drl;

import java.util.Objects;
import org.kie.api.KieBase;

/**
 * A compiled policy: its rules as a Drools {@link KieBase}, which is immutable and shared by every
 * scorer. Build with {@link PolicyCompiler}; score with {@link #scorer()}.
 *
 * @param name policy name, e.g. {@code binpack} or the user's file name
 * @param kieBase the compiled rules
 */
public record Policy(String name, KieBase kieBase) {
  public Policy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kieBase, "kieBase");
  }

  /** A new scorer for this policy; keep it and reuse it, its sessions stay warm. */
  public PolicyScorer scorer() {
    return new PolicyScorer(this);
  }
}
