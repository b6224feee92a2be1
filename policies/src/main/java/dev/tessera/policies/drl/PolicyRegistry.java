package dev.tessera.policies.drl;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in DRL policies by name, compiled on first use and then shared. {@link #resolve} also
 * accepts a path to a user DRL file, as {@code --policy} does.
 */
public final class PolicyRegistry {
  /** HAMi's node binpack: busiest fitting node first. */
  public static final String BINPACK = "binpack";

  /** HAMi's node spread: least busy fitting node first. */
  public static final String SPREAD = "spread";

  private static final Map<String, String> BUILT_INS =
      Map.of(
          BINPACK, "dev/tessera/policies/binpack.drl",
          SPREAD, "dev/tessera/policies/spread.drl");

  private final Map<String, Policy> compiled = new ConcurrentHashMap<>();

  /** Built-in policy names, sorted. */
  public List<String> names() {
    return BUILT_INS.keySet().stream().sorted().toList();
  }

  /**
   * The built-in policy {@code name}, compiled once per registry.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public Policy builtIn(String name) {
    String resource = BUILT_INS.get(name);
    if (resource == null) {
      throw new IllegalArgumentException(
          "unknown built-in policy \"" + name + "\"; known: " + String.join(", ", names()));
    }
    return compiled.computeIfAbsent(
        name, n -> PolicyCompiler.compile(n, List.of(PolicySource.classpath(resource))));
  }

  /**
   * Several built-ins and/or DRL files compiled into one policy, so their points add up (e.g.
   * {@code binpack} plus a user's preference rules).
   *
   * @throws PolicyCompileException when a file cannot be read or does not compile
   */
  public Policy resolveAll(List<String> namesOrPaths) {
    if (namesOrPaths.size() == 1) {
      return resolve(namesOrPaths.get(0));
    }
    var sources =
        namesOrPaths.stream()
            .map(
                n ->
                    BUILT_INS.containsKey(n)
                        ? PolicySource.classpath(BUILT_INS.get(n))
                        : PolicySource.file(Path.of(n)))
            .toList();
    return PolicyCompiler.compile(String.join("+", namesOrPaths), sources);
  }

  /**
   * A built-in by name, else the DRL file at {@code nameOrPath}.
   *
   * @throws PolicyCompileException when the file cannot be read or does not compile
   */
  public Policy resolve(String nameOrPath) {
    if (BUILT_INS.containsKey(nameOrPath)) {
      return builtIn(nameOrPath);
    }
    return PolicyCompiler.compile(PolicySource.file(Path.of(nameOrPath)));
  }
}
