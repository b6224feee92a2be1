package dev.tessera.engine.fit;

import dev.tessera.engine.codec.Annotations;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A pod's placement steering, parsed once per pod from its annotations (hami-compat §4.3, §7.1):
 * GPU UUID and type selectors, vGPU mode, NUMA binding, GPU policy and score weights. Every
 * predicate here is allocation-free so it can run per device in Fit. Immutable; build with {@link
 * #parse}. Equal selectors steer every evaluation the same way, so they can key caches of node
 * evaluations (the extender's equivalence cache).
 */
public final class PodSelectors {
  private final String[] useUuids;
  private final String[] nouseUuids;
  private final String[] useTypes;
  private final String[] nouseTypes;
  private final String vgpuMode;
  private final boolean numaBind;
  private final String gpuPolicy;
  private final boolean topology;
  private final boolean mutex;
  private final ScoringWeights weights;

  private PodSelectors(
      String[] useUuids,
      String[] nouseUuids,
      String[] useTypes,
      String[] nouseTypes,
      String vgpuMode,
      boolean numaBind,
      String gpuPolicy,
      ScoringWeights weights) {
    this.useUuids = useUuids;
    this.nouseUuids = nouseUuids;
    this.useTypes = useTypes;
    this.nouseTypes = nouseTypes;
    this.vgpuMode = vgpuMode;
    this.numaBind = numaBind;
    this.gpuPolicy = gpuPolicy;
    this.topology = policyContains(gpuPolicy, TOPOLOGY_AWARE);
    this.mutex = policyContains(gpuPolicy, MUTEX);
    this.weights = weights;
  }

  /** Policy token that turns on topology-aware selection. */
  public static final String TOPOLOGY_AWARE = "topology-aware";

  /** Policy token that only admits idle GPUs. */
  public static final String MUTEX = "mutex";

  /**
   * Parses a pod's annotations ({@code null} = none).
   *
   * @param defaultGpuPolicy the scheduler's {@code --gpu-scheduler-policy}
   * @throws InvalidScoringWeightsException when {@code hami.io/device-scoring-weights} is invalid
   */
  public static PodSelectors parse(Map<String, String> annotations, String defaultGpuPolicy) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    String policy = gpuPolicyFor(a, defaultGpuPolicy);
    return new PodSelectors(
        Text.commaList(a.get(Annotations.USE_GPU_UUID)),
        Text.commaList(a.get(Annotations.NOUSE_GPU_UUID)),
        Text.commaList(a.get(Annotations.USE_GPU_TYPE)),
        Text.commaList(a.get(Annotations.NOUSE_GPU_TYPE)),
        a.get(Annotations.VGPU_MODE),
        parseGoBool(a.get(Annotations.NUMA_BIND)),
        policy,
        ScoringWeights.parse(a.get(Annotations.DEVICE_SCORING_WEIGHTS)));
  }

  /** The same selectors with other score weights. */
  public PodSelectors withWeights(ScoringWeights newWeights) {
    return new PodSelectors(
        useUuids, nouseUuids, useTypes, nouseTypes, vgpuMode, numaBind, gpuPolicy, newWeights);
  }

  /** {@code nvidia.com/vgpu-mode}, or {@code null} when absent. */
  public String vgpuMode() {
    return vgpuMode;
  }

  /** {@code nvidia.com/numa-bind} parsed as a Go bool (invalid = false). */
  public boolean numaBind() {
    return numaBind;
  }

  /** The pod's GPU policy: annotation, else the scheduler default. */
  public String gpuPolicy() {
    return gpuPolicy;
  }

  /** The policy has token {@code topology-aware}. */
  public boolean topology() {
    return topology;
  }

  /** The policy has token {@code mutex}. */
  public boolean mutex() {
    return mutex;
  }

  /** Device score weights. */
  public ScoringWeights weights() {
    return weights;
  }

  /** The pod's GPU policy: its {@code hami.io/gpu-scheduler-policy}, else {@code defaultPolicy}. */
  public static String gpuPolicyFor(Map<String, String> annotations, String defaultPolicy) {
    if (annotations != null) {
      String v = annotations.get(Annotations.GPU_SCHEDULER_POLICY);
      if (v != null) {
        return v;
      }
    }
    return defaultPolicy == null ? "" : defaultPolicy;
  }

  /** True when the comma-separated {@code policy} has a token equal to {@code name} (trimmed). */
  public static boolean policyContains(String policy, String name) {
    if (policy == null || policy.isEmpty()) {
      return false;
    }
    int start = 0;
    int len = policy.length();
    while (start <= len) {
      int comma = policy.indexOf(',', start);
      int end = comma < 0 ? len : comma;
      int s = start;
      int e = end;
      while (s < e && Character.isWhitespace(policy.charAt(s))) {
        s++;
      }
      while (e > s && Character.isWhitespace(policy.charAt(e - 1))) {
        e--;
      }
      if (e - s == name.length() && policy.regionMatches(s, name, 0, name.length())) {
        return true;
      }
      if (comma < 0) {
        break;
      }
      start = comma + 1;
    }
    return false;
  }

  /** Go {@code strconv.ParseBool}; anything it rejects (and absence) is false. */
  public static boolean parseGoBool(String v) {
    if (v == null) {
      return false;
    }
    return switch (v) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      default -> false;
    };
  }

  /** True unless the UUID selectors exclude GPU {@code uuid} (§4.3). */
  public boolean uuidAllowed(String uuid) {
    if (useUuids.length > 0 && !contains(useUuids, uuid)) {
      return false;
    }
    return !contains(nouseUuids, uuid);
  }

  /** True unless the type selectors exclude device type {@code type} (case-insensitive). */
  public boolean typeAllowed(String type) {
    if (useTypes.length > 0) {
      boolean any = false;
      for (String t : useTypes) {
        if (Text.containsIgnoreCase(type, t)) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    for (String t : nouseTypes) {
      if (Text.containsIgnoreCase(type, t)) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code nvidia.com/vgpu-mode} is absent or contains the device {@code mode}. */
  public boolean modeAllowed(String mode) {
    return vgpuMode == null || vgpuMode.contains(mode);
  }

  /** Fit step 3: type selectors, vGPU mode, and the request being NVIDIA. */
  public boolean typeWithModeAllowed(String deviceType, String deviceMode, String requestType) {
    return typeAllowed(deviceType)
        && modeAllowed(deviceMode)
        && dev.tessera.engine.model.GpuRequest.NVIDIA.equals(requestType);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodSelectors p
        && numaBind == p.numaBind
        && Arrays.equals(useUuids, p.useUuids)
        && Arrays.equals(nouseUuids, p.nouseUuids)
        && Arrays.equals(useTypes, p.useTypes)
        && Arrays.equals(nouseTypes, p.nouseTypes)
        && Objects.equals(vgpuMode, p.vgpuMode)
        && gpuPolicy.equals(p.gpuPolicy)
        && weights.equals(p.weights);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(vgpuMode, numaBind, gpuPolicy, weights);
    h = 31 * h + Arrays.hashCode(useUuids);
    h = 31 * h + Arrays.hashCode(nouseUuids);
    h = 31 * h + Arrays.hashCode(useTypes);
    return 31 * h + Arrays.hashCode(nouseTypes);
  }

  private static boolean contains(String[] items, String s) {
    for (String i : items) {
      if (i.equals(s)) {
        return true;
      }
    }
    return false;
  }
}
