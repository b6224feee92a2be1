package dev.tessera.engine.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.config.DeviceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole-pod mutating admission decision (hami-compat §5.1) for the NVIDIA backend. Works on the
 * pod's raw JSON so that the patch it returns is exact against what the API server sent, including
 * fields Tessera does not model.
 */
public final class PodWebhook {
  /** Denial when the pod has no containers. */
  public static final String NO_CONTAINERS = "pod has no containers";

  /** Denial when a GPU pod already names a node. */
  public static final String NODE_ASSIGNED = "pod has node assigned";

  /** Denial when the namespace's GPU quota would be exceeded. */
  public static final String QUOTA_EXCEEDED = "exceeding resource quota";

  private final DeviceConfig config;
  private final WebhookSettings settings;
  private final QuotaView quota;
  private final ContainerMutator mutator;

  public PodWebhook(DeviceConfig config, WebhookSettings settings, QuotaView quota) {
    this.config = Objects.requireNonNull(config, "config");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.quota = Objects.requireNonNull(quota, "quota");
    this.mutator = new ContainerMutator(config);
  }

  /** {@link #admit(String, JsonNode)} with the namespace taken from {@code metadata.namespace}. */
  public AdmissionDecision admit(JsonNode pod) {
    return admit("", pod);
  }

  /**
   * Decides on {@code pod} (Kubernetes Pod JSON) created in {@code requestNamespace} (the
   * AdmissionReview's namespace; used when the pod's own is empty).
   */
  public AdmissionDecision admit(String requestNamespace, JsonNode pod) {
    AdmissionPod p;
    try {
      p = AdmissionPod.fromJson(pod);
    } catch (PodDecodeException e) {
      return AdmissionDecision.error(400, e.getMessage());
    }
    if (p.containers().isEmpty()) {
      return AdmissionDecision.deny(NO_CONTAINERS);
    }
    if (!p.schedulerName().isEmpty() && !mayTakeOver(p.schedulerName())) {
      return AdmissionDecision.allowUnchanged();
    }

    ObjectNode mutated = pod.deepCopy();
    ObjectNode spec = child(mutated, "spec");
    var pass = new MutationPass(spec, p.runtimeClassName());
    List<AdmissionContainer> init;
    List<AdmissionContainer> app;
    try {
      // Init containers first, as HAMi mutates them first.
      init = pass.run("initContainers", p.initContainers());
      app = pass.run("containers", p.containers());
    } catch (InvalidResourceException e) {
      return AdmissionDecision.error(500, e.getMessage());
    } catch (QuantityException e) {
      // Unreachable after AdmissionPod.fromJson validated every quantity; kept as a typed answer.
      return AdmissionDecision.error(400, e.getMessage());
    }
    boolean hasResource = pass.hasResource;

    if (!hasResource) {
      return AdmissionDecision.allow(mutated, JsonDiff.diff(pod, mutated));
    }
    for (AdmissionContainer c : concat(init, app)) {
      if (c.privileged()) {
        return AdmissionDecision.deny("container " + c.name() + " is privileged");
      }
    }
    if (!settings.schedulerName().isEmpty()) {
      spec.put("schedulerName", settings.schedulerName());
      if (!p.nodeName().isEmpty()) {
        return AdmissionDecision.deny(NODE_ASSIGNED);
      }
    }
    String namespace = p.namespace().isEmpty() ? requestNamespace : p.namespace();
    if (!AdmissionQuota.fits(config, quota, namespace, init, app)) {
      return AdmissionDecision.deny(QUOTA_EXCEEDED);
    }
    return AdmissionDecision.allow(mutated, JsonDiff.diff(pod, mutated));
  }

  private boolean mayTakeOver(String schedulerName) {
    return (WebhookSettings.DEFAULT_SCHEDULER.equals(schedulerName)
            && settings.forceOverwriteDefaultScheduler())
        || schedulerName.equals(settings.schedulerName());
  }

  /** Mutates one pod's containers in order, writing each change into the pod JSON. */
  private final class MutationPass {
    private final ObjectNode spec;
    // A runtime class set for one container is seen by the next, as in HAMi.
    private String runtimeClass;
    private boolean hasResource;

    MutationPass(ObjectNode spec, String runtimeClass) {
      this.spec = spec;
      this.runtimeClass = runtimeClass;
    }

    List<AdmissionContainer> run(String key, List<AdmissionContainer> containers) {
      var out = new ArrayList<AdmissionContainer>();
      for (int i = 0; i < containers.size(); i++) {
        AdmissionContainer c = containers.get(i);
        ContainerMutation m = mutator.mutate(c, Optional.of(runtimeClass));
        hasResource |= m.hasResource();
        if (m.runtimeClassName().isPresent()) {
          runtimeClass = m.runtimeClassName().get();
          spec.put("runtimeClassName", runtimeClass);
        }
        apply((ObjectNode) spec.get(key).get(i), m);
        out.add(m.applyTo(c));
      }
      return out;
    }
  }

  private static void apply(ObjectNode container, ContainerMutation m) {
    if (!m.limitsToAdd().isEmpty()) {
      ObjectNode limits = child(child(container, "resources"), "limits");
      m.limitsToAdd().forEach(limits::put);
    }
    if (!m.envToAdd().isEmpty()) {
      JsonNode env = container.get("env");
      ArrayNode list = env != null && env.isArray() ? (ArrayNode) env : container.putArray("env");
      for (EnvVar e : m.envToAdd()) {
        list.addObject().put("name", e.name()).put("value", e.value());
      }
    }
  }

  private static ObjectNode child(ObjectNode parent, String key) {
    JsonNode n = parent.get(key);
    if (n instanceof ObjectNode o) {
      return o;
    }
    // Absent or null (AdmissionPod.fromJson already rejected any other type).
    return parent.putObject(key);
  }

  private static List<AdmissionContainer> concat(
      List<AdmissionContainer> a, List<AdmissionContainer> b) {
    var out = new ArrayList<AdmissionContainer>(a);
    out.addAll(b);
    return out;
  }
}
