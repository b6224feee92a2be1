package dev.tessera.extender.kube;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAMi's role labels (hami-compat §13): while this replica leads, every {@code period} it labels
 * the scheduler pods in its namespace that match a label selector with {@value #ROLE_LABEL}{@code
 * =leader} (its own pod) or {@code =follower} (the others), so that a Service selecting {@code
 * hami.io/scheduler-role: leader} reaches the leader only. Followers write nothing; a new leader
 * relabels the old one. Only pods whose label differs are patched (one JSON merge patch each).
 */
public final class SchedulerRoleLabels implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerRoleLabels.class);

  /** The label written on scheduler pods. */
  public static final String ROLE_LABEL = "hami.io/scheduler-role";

  /** HAMi's selector for its scheduler pods. */
  public static final String DEFAULT_SELECTOR = "app.kubernetes.io/component=hami-scheduler";

  /** How often the leader checks the labels; a takeover is visible to Services within it. */
  public static final Duration PERIOD = Duration.ofSeconds(2);

  /**
   * Which pods to label.
   *
   * @param namespace the scheduler pods' namespace (this pod's, {@code $POD_NAMESPACE})
   * @param selector a label selector ({@code k=v,…}) choosing the scheduler pods
   * @param self this pod's name ({@code $POD_NAME}), labelled {@code leader} while leading
   */
  public record Target(String namespace, String selector, String self) {
    public Target {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(selector, "selector");
      Objects.requireNonNull(self, "self");
      if (namespace.isEmpty() || selector.isEmpty() || self.isEmpty()) {
        throw new IllegalArgumentException(
            "scheduler role labels need a namespace, a pod selector and this pod's name, got '"
                + namespace
                + "', '"
                + selector
                + "', '"
                + self
                + "'");
      }
    }
  }

  private final ApiClient client;
  private final CoreV1Api api;
  private final Target target;
  private final BooleanSupplier leading;
  private final PeriodicRounds loop;
  private boolean warnedSelfMissing;

  /**
   * @param client a client with finite timeouts ({@link LiveCluster#clients})
   * @param leading true while this replica leads
   */
  public SchedulerRoleLabels(ApiClient client, Target target, BooleanSupplier leading) {
    this.client = Objects.requireNonNull(client, "client");
    this.api = new CoreV1Api(client);
    this.target = Objects.requireNonNull(target, "target");
    this.leading = Objects.requireNonNull(leading, "leading");
    this.loop =
        new PeriodicRounds(
            "scheduler-role-labels", LOG, "labelling scheduler pods failed", this::round, PERIOD);
  }

  /** Runs {@link #round} every {@link #PERIOD}. */
  public void start() {
    loop.start();
  }

  @Override
  public void close() {
    loop.close();
  }

  /**
   * One pass: a no-op unless leading; otherwise lists the selected pods and patches each whose
   * {@value #ROLE_LABEL} is not yet its role. API errors are logged and retried next pass.
   */
  public synchronized void round() {
    if (!leading.getAsBoolean()) {
      return;
    }
    java.util.List<V1Pod> pods;
    try {
      pods =
          api.listNamespacedPod(target.namespace())
              .labelSelector(target.selector())
              .execute()
              .getItems();
    } catch (ApiException e) {
      LOG.warn(
          "listing scheduler pods {} in {} failed: HTTP {}",
          target.selector(),
          target.namespace(),
          e.getCode());
      return;
    }
    boolean selfSeen = false;
    for (V1Pod p : pods) {
      String name = p.getMetadata().getName();
      boolean self = target.self().equals(name);
      selfSeen |= self;
      String role = self ? "leader" : "follower";
      Map<String, String> labels = p.getMetadata().getLabels();
      if (labels != null && role.equals(labels.get(ROLE_LABEL))) {
        continue;
      }
      // Leadership may have moved while listing; never label this pod leader after losing it.
      if (!leading.getAsBoolean()) {
        return;
      }
      patch(name, role);
    }
    if (!selfSeen && !warnedSelfMissing) {
      warnedSelfMissing = true;
      LOG.warn(
          "this pod {} is not among the scheduler pods {} in {}: it is not labelled {}=leader",
          target.self(),
          target.selector(),
          target.namespace(),
          ROLE_LABEL);
    }
  }

  private void patch(String pod, String role) {
    String body = "{\"metadata\":{\"labels\":{\"" + ROLE_LABEL + "\":\"" + role + "\"}}}";
    try {
      PatchUtils.patch(
          V1Pod.class,
          () -> api.patchNamespacedPod(pod, target.namespace(), new V1Patch(body)).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          client);
      LOG.info("pod {}/{} labelled {}={}", target.namespace(), pod, ROLE_LABEL, role);
    } catch (ApiException e) {
      LOG.warn(
          "pod {}/{}: writing {}={} failed: HTTP {}",
          target.namespace(),
          pod,
          ROLE_LABEL,
          role,
          e.getCode());
    }
  }
}
