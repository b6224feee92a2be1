package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera explain} end to end on the shipped samples and on bad input. */
class ExplainCommandTest {
  private static final Path ROOT = Path.of(System.getProperty("tessera.root", ".."));
  private static final Path CLUSTER = ROOT.resolve("traces/sample/cluster.yaml");

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cl = TesseraCli.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void sharedInferencePodBinpacksOntoTheBusiestT4NodeThatStillFits() {
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString());
    assertThat(r.exit()).isZero();
    // t4-node-1 is the busiest node (two pods) and GPU-t4-1-0 still has 9360 MiB free.
    assertThat(r.out())
        .contains("Chosen: t4-node-1")
        .contains("server -> GPU-t4-1-0 (8000 MiB, 30%)");
  }

  @Test
  void spreadNodePolicyPicksTheIdlestNode() {
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString(),
            "--node-policy",
            "spread");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Chosen: t4-node-2");
  }

  @Test
  void typeSelectorAndUnhealthyGpuAreExplainedPerNodeInJson() throws Exception {
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod-2gpu.yaml").toString(),
            "--json");
    assertThat(r.exit()).isZero();
    var json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("node").asText()).isEqualTo("a100-node-1");
    assertThat(json.path("devices").get(0).path("devices")).hasSize(2);
    var byNode = new java.util.HashMap<String, String>();
    json.path("nodes").forEach(n -> byNode.put(n.path("node").asText(), n.path("reason").asText()));
    assertThat(byNode.get("t4-node-1")).isEqualTo("2/2 CardTypeMismatch");
    assertThat(byNode.get("t4-node-2")).isEqualTo("1/2 CardNotHealth, 1/2 CardTypeMismatch");
  }

  @Test
  void podThatFitsNowhereExitsOneWithEveryReason(@TempDir Path dir) throws Exception {
    Path pod = dir.resolve("huge.yaml");
    Files.writeString(
        pod,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: huge}
        spec:
          containers:
            - name: c
              resources: {limits: {nvidia.com/gpu: "8", nvidia.com/gpumem: "1000"}}
        """);
    var r = run("explain", "--cluster", CLUSTER.toString(), "--pod", pod.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("No node fits").contains("NodeInsufficientDevice");
  }

  @Test
  void badClusterFieldIsReportedWithFileAndFieldAndExitTwo(@TempDir Path dir) throws Exception {
    Path cluster = dir.resolve("cluster.yaml");
    Files.writeString(
        cluster,
        """
        nodes:
          - name: n1
            gpus:
              - {uuid: GPU-1, memoryMiB: 0}
        """);
    var r =
        run(
            "explain",
            "--cluster",
            cluster.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains(cluster.toString())
        .contains("nodes[0].gpus[0].memoryMiB")
        .contains("expected a positive number of MiB");
  }

  @Test
  void malformedAllocationNamesThePodEntry(@TempDir Path dir) throws Exception {
    Path cluster = dir.resolve("cluster.yaml");
    Files.writeString(
        cluster,
        """
        nodes:
          - name: n1
            gpus: [{uuid: GPU-1, memoryMiB: 1000}]
        pods:
          - {name: p, node: n1, allocated: "GPU-1,NVIDIA,lots,30:;"}
        """);
    var r =
        run(
            "explain",
            "--cluster",
            cluster.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("pods[0].allocated").contains("MEM");
  }

  @Test
  void unknownYamlKeyGivesLineAndColumn(@TempDir Path dir) throws Exception {
    Path cluster = dir.resolve("cluster.yaml");
    Files.writeString(cluster, "nodes:\n  - name: n1\n    gpuz: []\n");
    var r =
        run(
            "explain",
            "--cluster",
            cluster.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(cluster + ":3:").contains("gpuz");
  }

  @Test
  void chartDeviceConfigDefaultsAGpuOnlyLimitToAWholeCard(@TempDir Path dir) throws Exception {
    Path pod = dir.resolve("whole.yaml");
    Files.writeString(
        pod,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: whole}
        spec:
          containers:
            - name: c
              resources: {limits: {nvidia.com/gpu: "1"}}
        """);
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            pod.toString(),
            "--device-config",
            ROOT.resolve("charts/tessera/files/device-config.yaml").toString(),
            "--json");
    assertThat(r.exit()).isZero();
    var json = new ObjectMapper().readTree(r.out());
    // gpu: 1 alone asks for 100% of one card's memory (hami-compat §2.2 step 4).
    assertThat(json.path("containers").get(0).path("memoryPercent").asInt()).isEqualTo(100);
    // ...and the webhook's exclusive-core default gives it all the compute (§5.2 step 5).
    assertThat(json.path("containers").get(0).path("cores").asInt()).isEqualTo(100);
    // Only an idle A100 has a whole card free; every T4 already hosts a pod.
    assertThat(json.path("node").asText()).isEqualTo("a100-node-1");
  }

  @Test
  void outOfRangePercentageIsRejectedNamingTheContainer(@TempDir Path dir) throws Exception {
    Path pod = dir.resolve("bad.yaml");
    Files.writeString(
        pod,
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: bad}
        spec:
          containers:
            - name: worker
              resources: {limits: {nvidia.com/gpu: "1", nvidia.com/gpumem-percentage: "150"}}
        """);
    var r = run("explain", "--cluster", CLUSTER.toString(), "--pod", pod.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(pod.toString()).contains("container worker");
  }

  @Test
  void drlPolicyRanksNodesAndShowsEachFiredRule() throws Exception {
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString(),
            "--policy",
            "spread",
            "--json");
    assertThat(r.exit()).isZero();
    var json = new ObjectMapper().readTree(r.out());
    // The DRL spread policy agrees with HAMi's spread: the idlest node wins.
    assertThat(json.path("node").asText()).isEqualTo("t4-node-2");
    var t4 = json.path("nodes").get(2);
    assertThat(t4.path("verdict").asText()).isEqualTo("chosen");
    assertThat(t4.path("rules")).hasSize(1);
    assertThat(t4.path("rules").get(0).path("weight").asDouble()).isEqualTo(1.0);
    assertThat(t4.path("policyTotal").asDouble()).isNegative();
  }

  @Test
  void weightedPolicyShowsEachRuleWithItsPointsAndWeight() throws Exception {
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString(),
            "--policy",
            "binpack=2,gpu-spread=0.5",
            "--json");
    assertThat(r.exit()).isZero();
    var json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("policy").asText()).isEqualTo("binpack=2,gpu-spread=0.5");
    for (var node : json.path("nodes")) {
      double total = 0;
      for (var rule : node.path("rules")) {
        total += rule.path("points").asDouble() * rule.path("weight").asDouble();
      }
      assertThat(node.path("policyTotal").asDouble()).isCloseTo(total, within(1e-9));
      if (!node.path("fits").asBoolean()) {
        assertThat(node.path("verdict").asText()).isEqualTo("does-not-fit");
        assertThat(node.path("vetoes").get(0).path("rule").asText())
            .isEqualTo("A node the pod does not fit on is never chosen");
      }
    }
    // binpack's 2 x node score dominates: the busiest T4 node still wins.
    assertThat(json.path("node").asText()).isEqualTo("t4-node-1");
    var text =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString(),
            "--policy",
            "binpack=2,gpu-spread=0.5");
    assertThat(text.out())
        .contains("Rules fired for policy binpack=2,gpu-spread=0.5")
        .contains("t4-node-1  chosen")
        .containsPattern(
            "A busier node scores its HAMi node score: \\+\\d+\\.\\d+ x 2 \\(binpack\\)");
  }

  @Test
  void yamlPolicySpecNamesTheCombination(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("mix.yaml");
    Files.writeString(
        spec,
        """
        name: spread-then-gpu-binpack
        policies:
          - policy: spread
            weight: 1000
          - policy: gpu-binpack
            weight: 1
        """);
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString(),
            "--policy",
            spec.toString(),
            "--json");
    assertThat(r.exit()).isZero();
    var json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("policy").asText()).isEqualTo("spread-then-gpu-binpack");
    // spread x 1000 dominates, as with --node-policy spread: the idlest node wins.
    assertThat(json.path("node").asText()).isEqualTo("t4-node-2");
    var weights = new java.util.ArrayList<Double>();
    json.path("nodes").get(0).path("rules").forEach(x -> weights.add(x.path("weight").asDouble()));
    assertThat(weights).containsExactly(1000.0, 1.0);
  }

  @Test
  void unknownPolicyNameListsTheBuiltIns() {
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString(),
            "--policy",
            "binpak=1,topology=2");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("binpak:0:0: no built-in policy or DRL file of that name")
        .contains("gpu-binpack")
        .contains("topology");
  }

  @Test
  void conflictingGpuPoliciesAreRefusedNamingBoth() {
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString(),
            "--policy",
            "gpu-binpack=1,gpu-spread=1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("gpu-binpack").contains("gpu-spread").contains("GPU policy");
  }

  @Test
  void brokenUserPolicyIsRejectedWithFileLineAndColumn(@TempDir Path dir) throws Exception {
    Path drl = dir.resolve("mine.drl");
    Files.writeString(
        drl,
        """
        package mine;
        import dev.tessera.policies.facts.NodeFeatures;
        rule "Broken rule"
        when
            $n : NodeFeatures( noSuchField > 1 )
        then
        end
        """);
    var r =
        run(
            "explain",
            "--cluster",
            CLUSTER.toString(),
            "--pod",
            ROOT.resolve("traces/sample/pod.yaml").toString(),
            "--policy",
            drl.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).containsPattern("mine\\.drl:\\d+:\\d+: ");
  }

  @Test
  void helpListsSubcommands() {
    var r = run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("explain");
  }
}
