package dev.tessera.extender.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.snapshot.NamespaceUsage;
import dev.tessera.extender.Manifests;
import dev.tessera.extender.metrics.ExtenderMetrics;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.state.Reservations;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import dev.tessera.extender.wire.ExtenderFilterResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Namespace GPU quotas from ResourceQuotas (hami-compat §9) as the extender enforces them: filter
 * rejects with HAMi's reason, bind re-checks against the snapshot it books on, deleting the quota
 * lifts the limit, and the equivalence cache never reuses a result computed under another usage.
 */
class QuotaEnforcementTest {
  private static final String MEM = "limits.nvidia.com/gpumem";
  private static final String CORES = "limits.nvidia.com/gpucores";
  private static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5", "n6");

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
  private final InMemoryCluster cluster = InMemoryCluster.of(nodes(), List.of(), List.of());
  private final ExtenderMetrics metrics = new ExtenderMetrics(cluster::snapshot);
  private final Extender extender =
      new Extender(
          cluster,
          cluster,
          new EngineRanking(Engine.Options.DEFAULTS),
          DeviceConfig.chartDefaults(),
          Engine.Options.DEFAULTS,
          new Reservations(cluster, clock, Duration.ofSeconds(30)),
          metrics,
          clock);
  private final ExecutorService pool = Executors.newFixedThreadPool(NODES.size());

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static List<Node> nodes() {
    var out = new ArrayList<Node>();
    for (String n : NODES) {
      out.add(Node.of(n, List.of(GpuDevice.of("GPU-" + n, 0, "NVIDIA A100", 40_000, 100, 10, 0))));
    }
    return out;
  }

  private ExtenderFilterResult filter(String ns, String name, int memMiB, List<String> nodes) {
    return extender.filter(new ExtenderArgs(Manifests.pod(ns, name, memMiB, 10), null, nodes));
  }

  private ExtenderBindingResult bind(String ns, String name, String node) {
    return extender.bind(new ExtenderBindingArgs(name, ns, "uid-" + ns + "-" + name, node));
  }

  @Test
  void filterFailsAPodOverItsNamespaceQuotaOnEveryNodeWithHamisReason() {
    cluster.quotas().put("team-a", "gpu", Map.of(MEM, "10000", "requests.cpu", "4"));

    ExtenderFilterResult over = filter("team-a", "big", 12_000, NODES);
    assertThat(over.nodeNames()).isEmpty();
    assertThat(over.failedNodes()).containsOnlyKeys(NODES.toArray(String[]::new));
    assertThat(over.failedNodes().values())
        .allSatisfy(r -> assertThat(r).contains("ResourceQuotaNotFit"));
    // Pods of the namespace ending free quota: not marked unresolvable (preemption may help).
    assertThat(over.failedAndUnresolvableNodes()).isEmpty();

    assertThat(filter("team-a", "small", 8_000, NODES).nodeNames()).hasSize(NODES.size());
    assertThat(filter("team-b", "big", 12_000, NODES).nodeNames())
        .as("other namespaces are not limited")
        .hasSize(NODES.size());
  }

  @Test
  void anExplicitZeroBlocksAndANonIntegralValueIsIgnored() {
    cluster.quotas().put("team-a", "zero", Map.of(CORES, "0"));
    cluster.quotas().put("team-b", "odd", Map.of(MEM, "1500m"));

    assertThat(filter("team-a", "p", 1_000, NODES).nodeNames()).isEmpty();
    assertThat(filter("team-b", "p", 30_000, NODES).nodeNames()).hasSize(NODES.size());
  }

  @Test
  void theSmallestLimitOfSeveralQuotasInANamespaceApplies() {
    cluster.quotas().put("team-a", "wide", Map.of(MEM, "50000"));
    cluster.quotas().put("team-a", "narrow", Map.of(MEM, "5000"));

    assertThat(filter("team-a", "p", 6_000, NODES).nodeNames()).isEmpty();
    cluster.quotas().remove("team-a", "narrow");
    assertThat(filter("team-a", "p", 6_000, NODES).nodeNames()).hasSize(NODES.size());
  }

  @Test
  void bindRefusesAPodWhoseNamespaceQuotaAnEarlierBindUsedUp() {
    cluster.quotas().put("team-a", "gpu", Map.of(MEM, "10000"));
    assertThat(filter("team-a", "a", 6_000, NODES).nodeNames()).hasSize(NODES.size());
    assertThat(filter("team-a", "b", 6_000, NODES).nodeNames()).hasSize(NODES.size());

    assertThat(bind("team-a", "a", "n1").ok()).isTrue();
    ExtenderBindingResult second = bind("team-a", "b", "n2");

    assertThat(second.ok()).isFalse();
    assertThat(second.error()).contains("ResourceQuotaNotFit");
    assertThat(cluster.snapshot().nodeOf("team-a/b")).isEmpty();
    assertThat(cluster.snapshot().namespaceUsage("team-a")).isEqualTo(new NamespaceUsage(6000, 10));
  }

  @Test
  void concurrentBindsInOneNamespaceNeverBothPassAQuotaThatFitsOne() throws Exception {
    cluster.quotas().put("team-a", "gpu", Map.of(MEM, "10000"));
    for (int round = 0; round < 25; round++) {
      var latch = new CountDownLatch(1);
      var results = new ArrayList<Future<ExtenderBindingResult>>();
      for (int i = 0; i < NODES.size(); i++) {
        String name = "r" + round + "-p" + i;
        String node = NODES.get(i);
        filter("team-a", name, 6_000, List.of(node));
        results.add(
            pool.submit(
                () -> {
                  latch.await();
                  return bind("team-a", name, node);
                }));
      }
      latch.countDown();
      int bound = 0;
      for (var f : results) {
        ExtenderBindingResult r = f.get();
        if (r.ok()) {
          bound++;
        } else {
          assertThat(r.error()).contains("ResourceQuotaNotFit");
        }
      }
      assertThat(bound).as("round " + round).isEqualTo(1);
      assertThat(cluster.snapshot().namespaceUsage("team-a").memMiB()).isEqualTo(6000);
      // End the round's pod so the next round starts with the whole quota.
      for (String node : NODES) {
        for (var pod : cluster.snapshot().node(node).orElseThrow().pods()) {
          extender.reservations().release(pod.key(), node);
        }
      }
      assertThat(cluster.snapshot().namespaceUsage("team-a")).isEqualTo(NamespaceUsage.NONE);
    }
  }

  @Test
  void deletingTheResourceQuotaLiftsTheLimit() {
    cluster.quotas().put("team-a", "gpu", Map.of(MEM, "10000"));
    assertThat(filter("team-a", "big", 12_000, NODES).nodeNames()).isEmpty();

    cluster.quotas().remove("team-a", "gpu");

    assertThat(filter("team-a", "big", 12_000, NODES).nodeNames()).hasSize(NODES.size());
    assertThat(bind("team-a", "big", "n1").ok()).isTrue();
  }

  @Test
  void aCachedNodeResultIsNotReusedAfterTheNamespaceUsageChanged() {
    cluster.quotas().put("team-a", "gpu", Map.of(MEM, "10000"));
    // Twice, so the equivalence cache stores n1's result for this shape.
    assertThat(filter("team-a", "q", 6_000, List.of("n1")).nodeNames()).containsExactly("n1");
    assertThat(filter("team-a", "q", 6_000, List.of("n1")).nodeNames()).containsExactly("n1");

    // Another pod of the namespace lands on n2: n1 itself is unchanged.
    filter("team-a", "other", 6_000, List.of("n2"));
    assertThat(bind("team-a", "other", "n2").ok()).isTrue();

    ExtenderFilterResult again = filter("team-a", "q", 6_000, List.of("n1"));
    assertThat(again.nodeNames()).isEmpty();
    assertThat(again.failedNodes().get("n1")).contains("ResourceQuotaNotFit");
  }

  @Test
  void quotaGaugesReportLimitAndUsagePerNamespace() {
    extender.quotas().registerMetrics(metrics.registry(), cluster::snapshot);
    cluster.quotas().put("team-a", "gpu", Map.of(MEM, "10000", CORES, "50"));
    filter("team-a", "a", 6_000, List.of("n1"));
    assertThat(bind("team-a", "a", "n1").ok()).isTrue();

    String text = new String(metrics.scrape(), StandardCharsets.UTF_8);

    assertThat(text)
        .contains(
            "tessera_quota_limit{namespace=\"team-a\",resource=\"nvidia.com/gpumem\"} 10000.0")
        .contains("tessera_quota_limit{namespace=\"team-a\",resource=\"nvidia.com/gpucores\"} 50.0")
        .contains("tessera_quota_used{namespace=\"team-a\",resource=\"nvidia.com/gpumem\"} 6000.0")
        .contains("tessera_quota_used{namespace=\"team-a\",resource=\"nvidia.com/gpucores\"} 10.0");
  }
}
