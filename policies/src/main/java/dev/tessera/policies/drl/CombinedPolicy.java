package dev.tessera.policies.drl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several compiled policies whose totals are added with weights: a node's total is Σ {@code weight
 * × policy total}, and each rule keeps its own points and its policy's weight in the explanation.
 * Each part runs in its own Drools session, so rule names may repeat across parts.
 *
 * <p>A part may fix the GPU policy the engine's fit uses to choose devices ({@code gpu-binpack}
 * fixes {@code binpack}); parts that fix different GPU policies cannot be combined, since one pod
 * gets one set of devices per node.
 *
 * @param name the combination's name for explanations, e.g. {@code fgd=1000,topology=10}
 * @param parts the policies with their weights, in the order explanations list them
 */
public record CombinedPolicy(String name, List<Part> parts) {
  public CombinedPolicy {
    Objects.requireNonNull(name, "name");
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw new PolicySpecException(name + ": a combined policy needs at least one policy");
    }
    String gpu = "";
    String fixedBy = "";
    var names = new ArrayList<String>();
    for (Part p : parts) {
      if (names.contains(p.name())) {
        throw new PolicySpecException(
            name + ": policy \"" + p.name() + "\" is listed twice; give it one weight");
      }
      names.add(p.name());
      if (p.gpuPolicy().isEmpty()) {
        continue;
      }
      if (!gpu.isEmpty() && !gpu.equals(p.gpuPolicy())) {
        throw new PolicySpecException(
            name
                + ": \""
                + fixedBy
                + "\" chooses devices with GPU policy "
                + gpu
                + " but \""
                + p.name()
                + "\" with "
                + p.gpuPolicy()
                + "; combine at most one of them");
      }
      gpu = p.gpuPolicy();
      fixedBy = p.name();
    }
  }

  /**
   * One weighted policy.
   *
   * @param name the name the user gave (built-in name or DRL path)
   * @param policy the compiled rules
   * @param weight multiplies the policy's total; any finite number
   * @param gpuPolicy the GPU policy ({@code hami.io/gpu-scheduler-policy} value) the policy needs
   *     devices chosen with, or {@code ""} when it takes the scheduler's
   */
  public record Part(String name, Policy policy, double weight, String gpuPolicy) {
    public Part {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(policy, "policy");
      gpuPolicy = gpuPolicy == null ? "" : gpuPolicy;
      if (!Double.isFinite(weight)) {
        throw new PolicySpecException(
            "policy \"" + name + "\": weight must be a finite number, got " + weight);
      }
    }
  }

  /** {@code policy} alone with weight 1, devices chosen with {@code gpuPolicy} ("" = default). */
  public static CombinedPolicy single(Policy policy, String gpuPolicy) {
    return new CombinedPolicy(
        policy.name(), List.of(new Part(policy.name(), policy, 1, gpuPolicy)));
  }

  /** The GPU policy some part fixes, or {@code ""} when the scheduler's default applies. */
  public String gpuPolicy() {
    for (Part p : parts) {
      if (!p.gpuPolicy().isEmpty()) {
        return p.gpuPolicy();
      }
    }
    return "";
  }
}
