package dev.tessera.deviceplugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.deviceplugin.topology.GpuLinks;
import dev.tessera.deviceplugin.topology.LinkType;
import dev.tessera.deviceplugin.topology.NvLinks;
import dev.tessera.deviceplugin.topology.PairScoring;
import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.SharedReferences;
import dev.tessera.engine.testing.VectorKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** HAMi conformance vectors of {@code topology.json} owned by the device plugin (§3.2). */
class TopologyConformanceTest {
  private static final String FILE = "topology.json";
  private static final String SWITCH_BUS = "00000000:05:00.0";
  private static final String DEV1_BUS = "00000000:01:00.0";
  private static final String DEV2_BUS = "00000000:02:00.0";

  @TestFactory
  Stream<DynamicTest> topologyVectors() {
    return HamiVectors.tests(
        VectorKinds.DEVICE_PLUGIN,
        FILE,
        Map.of(
            "gpu_pair_scores", (in, ex, c) -> pairScores(in, ex),
            "gpu_pair_score", (in, ex, c) -> pairScore(in, ex),
            "nvlink_count_to_score", (in, ex, c) -> countToScore(in, ex),
            "count_matching_links", (in, ex, c) -> countMatching(in, ex),
            "nvlink_between", (in, ex, c) -> between(in, ex)));
  }

  @Test
  void linkScoreConstantsMatchTheVectorDefaults() {
    Assumptions.assumeTrue(SharedReferences.root().isPresent(), "../shared not found");
    var table = HamiVectors.defaults(FILE).get("link_scores");
    var seen = new ArrayList<String>();
    table
        .properties()
        .forEach(
            e -> {
              var t = LinkType.fromHamiName(e.getKey());
              assertThat(t).as(e.getKey()).isPresent();
              assertThat(t.get().score()).as(e.getKey()).isEqualTo(e.getValue().asInt());
              seen.add(e.getKey());
            });
    assertThat(seen).hasSize(LinkType.values().length);
  }

  private static void pairScores(JsonNode in, JsonNode ex) {
    var gpus = new ArrayList<GpuLinks>();
    in.get("gpus").forEach(g -> gpus.add(gpu(g)));
    var scores = PairScoring.scores(gpus);
    for (JsonNode row : ex.get("scores")) {
      String uuid = row.get("uuid").asText();
      var want = new HashMap<String, Integer>();
      row.get("score").properties().forEach(e -> want.put(e.getKey(), e.getValue().asInt()));
      assertThat(scores.scores().get(uuid)).as("row %s", uuid).isEqualTo(want);
    }
    assertThat(scores.scores()).hasSize(ex.get("scores").size());
  }

  private static void pairScore(JsonNode in, JsonNode ex) {
    var s = PairScoring.pairScore(gpu(in.get("a")), gpu(in.get("b")));
    if (ex.has("score")) {
      assertThat(s.score()).isEqualTo(ex.get("score").asInt());
    }
    if (ex.has("asymmetric")) {
      assertThat(s.asymmetric()).isEqualTo(ex.get("asymmetric").asBoolean());
    }
  }

  private static void countToScore(JsonNode in, JsonNode ex) {
    var t = LinkType.forNvLinkCount(in.get("links").asInt());
    if (ex.path("unknown").asBoolean(false)) {
      assertThat(t).isEmpty();
    }
    if (ex.has("score")) {
      assertThat(t).map(LinkType::score).contains(ex.get("score").asInt());
    }
  }

  private static void countMatching(JsonNode in, JsonNode ex) {
    var remote = new ArrayList<String>();
    in.get("remote_pci_bus_ids").forEach(n -> remote.add(n.asText()));
    assertThat(NvLinks.countMatchingLinks(remote, in.get("peer_bus_id").asText()))
        .isEqualTo(ex.get("count").asInt());
  }

  private static void between(JsonNode in, JsonNode ex) {
    var d1 = in.get("dev1");
    var d2 = in.get("dev2");
    var dev1Ports = new ArrayList<NvLinks.Port>();
    int enabled1 = d1.path("enabled_links").asInt(0);
    if ("peer".equals(d1.path("remote").asText())) {
      for (int i = 0; i < enabled1; i++) {
        dev1Ports.add(new NvLinks.Port(DEV2_BUS, false));
      }
    } else {
      int sw = d1.path("switch_links").asInt(0);
      for (int i = 0; i < enabled1; i++) {
        dev1Ports.add(
            i < sw ? new NvLinks.Port(SWITCH_BUS, true) : new NvLinks.Port(SWITCH_BUS, false));
      }
    }
    var dev2Ports = new ArrayList<NvLinks.Port>();
    int enabled2 = d2.path("enabled_links").asInt(0);
    int sw2 = d2.path("switch_links").asInt(0);
    for (int i = 0; i < enabled2; i++) {
      dev2Ports.add(new NvLinks.Port(i < sw2 ? SWITCH_BUS : DEV1_BUS, i < sw2));
    }
    var n =
        NvLinks.between(new NvLinks.Gpu(DEV1_BUS, dev1Ports), new NvLinks.Gpu(DEV2_BUS, dev2Ports));
    if (ex.path("unknown").asBoolean(false)) {
      assertThat(n).isEmpty();
    }
    if (ex.has("nvlinks")) {
      assertThat(n).hasValue(ex.get("nvlinks").asInt());
    }
  }

  static GpuLinks gpu(JsonNode g) {
    var links = new HashMap<Integer, List<LinkType>>();
    g.get("links")
        .properties()
        .forEach(
            e -> {
              var types = new ArrayList<LinkType>();
              e.getValue()
                  .forEach(
                      n ->
                          types.add(
                              LinkType.fromHamiName(n.asText())
                                  .orElseThrow(
                                      () -> new AssertionError("unknown link type " + n))));
              links.put(Integer.parseInt(e.getKey()), types);
            });
    return new GpuLinks(g.get("uuid").asText(), g.get("index").asInt(), links);
  }
}
