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

  /**
   * HAMi's GPU binpack: devices chosen with GPU policy {@code binpack}; the node whose chosen GPUs
   * are busiest (highest mean device score) first.
   */
  public static final String GPU_BINPACK = "gpu-binpack";

  /**
   * HAMi's GPU spread: devices chosen with GPU policy {@code spread}; the node whose chosen GPUs
   * are idlest (lowest mean device score) first.
   */
  public static final String GPU_SPREAD = "gpu-spread";

  /**
   * Topology: devices chosen with GPU policy {@code topology-aware}; nodes earn their chosen GPUs'
   * NVLink/PCIe pair scores, and 100 points when all chosen GPUs share one NUMA node.
   */
  public static final String TOPOLOGY = "topology";

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
      Map.ofEntries(
          Map.entry(BINPACK, "dev/tessera/policies/binpack.drl"),
          Map.entry(SPREAD, "dev/tessera/policies/spread.drl"),
          Map.entry(GPU_BINPACK, "dev/tessera/policies/gpu-binpack.drl"),
          Map.entry(GPU_SPREAD, "dev/tessera/policies/gpu-spread.drl"),
          Map.entry(TOPOLOGY, "dev/tessera/policies/topology.drl"),
          Map.entry(RANDOM, "dev/tessera/policies/random.drl"),
          Map.entry(DOTPROD, "dev/tessera/policies/dotprod.drl"),
          Map.entry(GPU_CLUSTERING, "dev/tessera/policies/gpu-clustering.drl"),
          Map.entry(GPU_PACKING, "dev/tessera/policies/gpu-packing.drl"),
          Map.entry(BESTFIT, "dev/tessera/policies/bestfit.drl"),
          Map.entry(FGD, "dev/tessera/policies/fgd.drl"));

  /** The GPU policy each built-in needs devices chosen with; absent: the scheduler's default. */
  private static final Map<String, String> GPU_POLICIES =
      Map.of(GPU_BINPACK, "binpack", GPU_SPREAD, "spread", TOPOLOGY, "topology-aware");

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
   * The GPU policy ({@code hami.io/gpu-scheduler-policy} value) built-in {@code name} chooses
   * devices with, or {@code ""} for a user file or a built-in that takes the scheduler's default.
   */
  public String gpuPolicyOf(String name) {
    return GPU_POLICIES.getOrDefault(name, "");
  }

  /**
   * Compiles every entry of {@code spec} on its own and combines them with their weights.
   *
   * @throws PolicyCompileException when a file cannot be read or does not compile
   * @throws PolicySpecException when two entries fix different GPU policies or repeat a name
   */
  public CombinedPolicy combine(PolicySpec spec) {
    var parts = new java.util.ArrayList<CombinedPolicy.Part>();
    for (PolicySpec.Entry e : spec.entries()) {
      parts.add(
          new CombinedPolicy.Part(
              e.policy(), resolve(e.policy()), e.weight(), gpuPolicyOf(e.policy())));
    }
    return new CombinedPolicy(spec.name(), parts);
  }

  /**
   * The policy {@code --policy} arguments name: a YAML spec file; a weighted list ({@code
   * fgd=1000,topology=10}, each policy scored on its own and its total weighted); or plain names
   * and DRL files compiled together into one policy so their points add up (weight 1).
   *
   * @throws PolicyCompileException when a file cannot be read or does not compile
   * @throws PolicySpecException when a spec is malformed or fixes conflicting GPU policies
   */
  public CombinedPolicy fromArguments(List<String> args) {
    if (args.isEmpty()) {
      throw new PolicySpecException("--policy: no policy given");
    }
    if (args.size() == 1 && PolicySpec.isSpecFile(args.get(0))) {
      return combine(PolicySpec.load(Path.of(args.get(0)), BUILT_INS.keySet()));
    }
    if (args.stream().anyMatch(a -> a.contains("="))) {
      return combine(PolicySpec.parse(String.join(",", args)));
    }
    Policy together = resolveAll(args);
    // Compiled into one policy, so it can honour only one GPU policy: the parts must agree.
    var parts = new java.util.ArrayList<CombinedPolicy.Part>();
    for (String a : args) {
      parts.add(new CombinedPolicy.Part(a, together, 1, gpuPolicyOf(a)));
    }
    String gpu = new CombinedPolicy(together.name(), parts).gpuPolicy();
    return CombinedPolicy.single(together, gpu);
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
    Path path = Path.of(nameOrPath);
    if (!nameOrPath.endsWith(".drl") && !java.nio.file.Files.exists(path)) {
      // Most likely a mistyped built-in name rather than a missing file: say both.
      throw new PolicyCompileException(
          nameOrPath
              + ":0:0: no built-in policy or DRL file of that name; built-ins: "
              + String.join(", ", names()));
    }
    return PolicyCompiler.compile(PolicySource.file(path));
  }
}
