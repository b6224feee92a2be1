package dev.tessera.sim.bench;

import java.util.List;
import java.util.Optional;

/**
 * One timed case of {@code tessera bench}: a decision path called once per step of a scenario.
 *
 * @param policy the policy decided ({@code binpack}, {@code fgd}, …) or {@code hami} for the
 *     extender's default ranking
 * @param path how it is decided: {@code oracle}, {@code drl}, {@code extender}
 * @param scenario {@code one-pod} (the same pending pod on the same cluster), {@code sequence} (a
 *     {@link PlacementSequence}) or, for the extender, {@code same-pod} / {@code new-shape}
 * @param steps how many distinct steps {@code call} cycles through (step = call index mod steps)
 * @param call the decision at one step; returns the chosen node, empty when none
 * @param expected the oracle's node per step, checked after every measured call; empty list when
 *     the path's answer is not a single node (the extender's priorities) and nothing is checked
 * @param oracle the name of the case whose percentiles this case's ratios divide by
 */
public record BenchCase(
    String policy,
    String path,
    String scenario,
    int steps,
    Call call,
    List<Optional<String>> expected,
    String oracle) {

  /** A decision at step {@code step} in [0, steps). */
  @FunctionalInterface
  public interface Call {
    Optional<String> decide(int step);
  }

  public BenchCase {
    expected = List.copyOf(expected);
    if (steps < 1 || (!expected.isEmpty() && expected.size() != steps)) {
      throw new IllegalArgumentException(
          "steps " + steps + " and expected answers " + expected.size() + " disagree");
    }
  }

  /** The case's name in the table and the JSON: {@code policy path scenario}. */
  public String name() {
    return policy + " " + path + " " + scenario;
  }

  /** Whether every measured answer is compared with the oracle's. */
  public boolean checked() {
    return !expected.isEmpty();
  }
}
