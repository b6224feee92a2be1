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

  /** FGD paper: a seeded draw among the fitting nodes (policies.md §5.1). */
  public static final String RANDOM = "random";

  /** FGD paper: smallest dot product of free and requested resources (policies.md §5.2). */
  public static final String DOTPROD = "dotprod";

  /** FGD paper: pods of one kind cluster on busy nodes (policies.md §5.3). */
  public static final String GPU_CLUSTERING = "gpu-clustering";

  /** FGD paper: partly used GPUs, then partly used nodes first (policies.md §5.4). */
  public static final String GPU_PACKING = "gpu-packing";

  /** FGD paper: least CPU and GPU left after the pod (policies.md §5.5). */
  public static final String BESTFIT = "bestfit";

  /** FGD paper: fragmentation gradient descent (policies.md §6). */
  public static final String FGD = "fgd";

  /**
   * The FGD paper's six policies in the paper's order; their rules read {@link
   * dev.tessera.policies.facts.FgdFeatures} candidates.
   */
  public static final List<String> FGD_PAPER =
      List.of(RANDOM, DOTPROD, GPU_CLUSTERING, GPU_PACKING, BESTFIT, FGD);

  private static final Map<String, String> BUILT_INS =
      Map.of(
          BINPACK, "dev/tessera/policies/binpack.drl",
          SPREAD, "dev/tessera/policies/spread.drl",
          RANDOM, "dev/tessera/policies/random.drl",
          DOTPROD, "dev/tessera/policies/dotprod.drl",
          GPU_CLUSTERING, "dev/tessera/policies/gpu-clustering.drl",
          GPU_PACKING, "dev/tessera/policies/gpu-packing.drl",
          BESTFIT, "dev/tessera/policies/bestfit.drl",
          FGD, "dev/tessera/policies/fgd.drl");

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
