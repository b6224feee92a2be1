package dev.tessera.cli;

import static dev.tessera.cli.ExplainCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/**
 * {@code tessera plan-gang} and {@code tessera defrag} end to end on the shipped sample cluster.
 */
class PlanCommandsTest {
  private static final Path ROOT = Path.of(System.getProperty("tessera.root", ".."));
  private static final String CLUSTER = ROOT.resolve("traces/sample/cluster.yaml").toString();
  private static final String POD = ROOT.resolve("traces/sample/pod.yaml").toString();

  @Test
  void elevenReplicasFitTheSampleClusterAndTwelveDoNot() throws Exception {
    // 8000 MiB and 30 % each: one more on GPU-t4-1-0 and on GPU-t4-2-0, three on each of the
    // three idle A100s (cores); nothing on the busy or unhealthy GPUs: 11 places.
    var eleven = run("plan-gang", "--cluster", CLUSTER, "--pod", POD, "--replicas", "11", "--json");
    assertThat(eleven.exit()).as(eleven.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(eleven.out());
    assertThat(json.path("placed").asBoolean()).isTrue();
    assertThat(json.path("placements")).hasSize(11);
    var coresPerGpu = new HashMap<String, Integer>();
    json.path("placements")
        .forEach(
            p ->
                p.path("containers")
                    .forEach(
                        c ->
                            c.forEach(
                                d ->
                                    coresPerGpu.merge(
                                        d.path("uuid").asText(),
                                        d.path("cores").asInt(),
                                        Integer::sum))));
    assertThat(coresPerGpu.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(100));

    var twelve = run("plan-gang", "--cluster", CLUSTER, "--pod", POD, "--replicas", "12");
    assertThat(twelve.exit()).isEqualTo(1);
    assertThat(twelve.out()).contains("Gang of 12 pod(s) under binpack: not placed");
  }

  @Test
  void gangTextNamesEachReplicaAndItsDevices() {
    var r =
        run(
            "plan-gang",
            "--cluster",
            CLUSTER,
            "--pod",
            POD,
            "--replicas",
            "2",
            "--policy",
            "spread");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Gang of 2 pod(s) under spread: placed")
        .contains("default/infer-new-0 -> ")
        .contains("default/infer-new-1 -> ")
        .contains("(8000 MiB, 30%)");
  }

  @Test
  void unknownGangPolicyIsBadInput() {
    var r = run("plan-gang", "--cluster", CLUSTER, "--pod", POD, "--policy", "best");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--policy best is not one of").contains("gpu-packing");
  }

  @Test
  void defragConsolidatesTheSharedT4PodsOntoOneGpu() throws Exception {
    // The three T4 sharing pods (30 + 50 + 20 % of the cores) fill exactly one idle A100: three
    // T4s freed, one A100 taken, fragmentation gone. With one move only a single T4 pod can join
    // another T4 (notebook-0 onto GPU-t4-1-0 or infer-0 onto GPU-t4-2-0): one T4 freed.
    var r = run("defrag", "--cluster", CLUSTER, "--max-moves", "3", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("freedGpus").asInt()).as(r.out()).isEqualTo(2);
    assertThat(json.path("moves")).hasSize(3);
    json.path("moves").forEach(m -> assertThat(m.path("to").asText()).isEqualTo("a100-node-1"));
    assertThat(json.path("fragmentationAfter").asDouble())
        .isLessThanOrEqualTo(json.path("fragmentationBefore").asDouble());

    var text = run("defrag", "--cluster", CLUSTER, "--max-moves", "1");
    assertThat(text.exit()).isZero();
    assertThat(text.out()).contains("whole GPUs freed: 1; moves: 1").contains("  1. default/");
  }

  @Test
  void defragWithNegativeMovesIsBadInput() {
    var r = run("defrag", "--cluster", CLUSTER, "--max-moves", "-1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--max-moves must be 0 or more, got -1");
  }
}
