package dev.tessera.extender.core;

import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.PodRequest;
import java.util.List;

/**
 * Turns a rejection into the reason kube-scheduler shows ({@code FailedNodes}) and decides whether
 * anything could help ({@code FailedAndUnresolvableNodes}).
 */
final class Rejections {
  /** GPUs listed per node in a reason; the rest are summarised, to keep events readable. */
  private static final int LISTED_GPUS = 8;

  private Rejections() {}

  /**
   * The result for a usable candidate the pod does not fit on. Unresolvable when the pod would not
   * fit even on the node emptied of every pod (wrong GPU type, too few GPUs, unhealthy or cordoned
   * cards): the engine's own fit decides that, so "could preemption help" has one definition.
   */
  static NodeResult rejected(PodPlan plan, PodRequest pod, Candidate c, String rule) {
    List<DeviceUsage> idle = c.usage().stream().map(u -> DeviceUsage.idle(u.device())).toList();
    // Without the quota: pods of the namespace ending (or preempted) free quota, so a node the pod
    // fits when idle is not hopeless because of the quota.
    PodPlan noQuota =
        new PodPlan(
            plan.requests(),
            plan.initCount(),
            plan.selectors(),
            plan.order(),
            PodPlan.QuotaGates.NONE);
    boolean hopeless =
        NodeEvaluator.evaluate(noQuota, c.node(), idle) instanceof NodeEvaluator.Rejected;
    return new NodeResult(
        c.name(),
        hopeless ? NodeResult.Outcome.UNRESOLVABLE : NodeResult.Outcome.FAILED,
        0,
        describe(rule, pod, c.usage()));
  }

  /**
   * {@code results} with each feasible node checked again under {@code quotaPlan}'s quota gates (a
   * ranking that does its own fit without quotas, e.g. a DRL policy): a node where the pod would
   * exceed its namespace quota becomes a failure with the engine's reason.
   */
  static List<NodeResult> underQuota(
      PodPlan quotaPlan, PodRequest pod, List<Candidate> candidates, List<NodeResult> results) {
    var out = new java.util.ArrayList<NodeResult>(results);
    for (int i = 0; i < out.size(); i++) {
      Candidate c = candidates.get(i);
      if (!out.get(i).feasible() || !c.isUsable()) {
        continue;
      }
      if (NodeEvaluator.evaluate(quotaPlan, c.node(), c.usage())
          instanceof NodeEvaluator.Rejected r) {
        out.set(i, rejected(quotaPlan, pod, c, r.reason()));
      }
    }
    return out;
  }

  /** The result for a node the engine cannot use at all. */
  static NodeResult unusable(Candidate c) {
    return new NodeResult(c.name(), NodeResult.Outcome.UNRESOLVABLE, 0, c.unusable());
  }

  /**
   * {@code rule; pod asks …; node free …}: HAMi's reason first (so tools matching it keep working),
   * then the request and each GPU's free memory, cores and slots by device index, e.g. {@code 1/2
   * CardInsufficientMemory; pod asks 1 GPU x 8000 MiB, 30% cores; node free (MiB/cores%/slots): #0
   * 6000/70/9, #1 81920/100/10}.
   *
   * <p>Plain ASCII and no GPU UUIDs, on purpose: kube-scheduler counts identical reasons into one
   * line of the pod's event ("0/1000 nodes are available: 12 CardInsufficientMemory; …"), so nodes
   * in the same state must give the same text; and this text is written for every rejected node on
   * every filter, where JSON escapes non-ASCII characters on a slower path.
   */
  static String describe(String rule, PodRequest pod, List<DeviceUsage> usage) {
    var sb = new StringBuilder(rule.length() + 48 + 20 * Math.min(usage.size(), LISTED_GPUS));
    sb.append(rule).append("; pod asks ");
    boolean first = true;
    for (GpuRequest r : pod.requests()) {
      if (r.isEmpty()) {
        continue;
      }
      if (!first) {
        sb.append(" + ");
      }
      first = false;
      sb.append(r.count()).append(" GPU x ");
      if (r.memoryMiB() > 0 || r.memoryPercent() == GpuRequest.PERCENT_UNSET) {
        sb.append(r.memoryMiB()).append(" MiB");
      } else {
        sb.append(r.memoryPercent()).append("% memory");
      }
      sb.append(", ").append(r.cores()).append("% cores");
    }
    sb.append("; node free (MiB/cores%/slots):");
    for (int i = 0; i < usage.size() && i < LISTED_GPUS; i++) {
      DeviceUsage d = usage.get(i);
      sb.append(i == 0 ? " #" : ", #")
          .append(d.index())
          .append(d.healthy() ? " " : " unhealthy ")
          .append(d.totalMemMiB() - d.usedMemMiB())
          .append('/')
          .append(d.totalCores() - d.usedCores())
          .append('/')
          .append(d.count() - d.used());
    }
    if (usage.size() > LISTED_GPUS) {
      sb.append(", ... ").append(usage.size() - LISTED_GPUS).append(" more");
    }
    if (usage.isEmpty()) {
      sb.append(" no GPUs");
    }
    return sb.toString();
  }
}
