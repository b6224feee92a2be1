package dev.tessera.engine.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.fit.mig.MigAllowlist;
import dev.tessera.engine.fit.mig.MigPlanner;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.engine.model.GpuRequest;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.quota.QuotaState;
import dev.tessera.engine.testing.HamiVectors;
import dev.tessera.engine.testing.HamiVectors.CaseHandler;
import dev.tessera.engine.testing.VectorKinds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** HAMi conformance vectors owned by {@code engine-fit}, run through the production classes. */
class FitConformanceTest {
  private static final float EPS = 1e-4f;

  @TestFactory
  Stream<DynamicTest> annotationParsing() {
    return HamiVectors.tests(
        VectorKinds.FIT,
        "annotation-parsing.json",
        Map.of(
            "check_uuid",
            (in, ex, c) ->
                assertThat(selectors(in).uuidAllowed(in.path("device_id").asText()))
                    .isEqualTo(ex.path("allowed").asBoolean()),
            "check_gpu_type",
            (in, ex, c) ->
                assertThat(selectors(in).typeAllowed(in.path("device_type").asText()))
                    .isEqualTo(ex.path("allowed").asBoolean()),
            "check_type_with_mode",
            (in, ex, c) ->
                assertThat(
                        selectors(in)
                            .typeWithModeAllowed(
                                in.path("device_type").asText(),
                                in.path("device_mode").asText(),
                                in.path("request_type").asText()))
                    .isEqualTo(ex.path("allowed").asBoolean()),
            "numa_bind",
            (in, ex, c) ->
                assertThat(selectors(in).numaBind()).isEqualTo(ex.path("numa_bind").asBoolean()),
            "policy_contains",
            (in, ex, c) ->
                assertThat(
                        PodSelectors.policyContains(
                            in.path("policy").asText(), in.path("name").asText()))
                    .isEqualTo(ex.path("contains").asBoolean()),
            "gpu_policy_for_pod",
            (in, ex, c) ->
                assertThat(
                        PodSelectors.gpuPolicyFor(
                            FitJson.annotations(in.path("pod_annotations")),
                            in.path("default_policy").asText()))
                    .isEqualTo(ex.path("policy").asText()),
            "parse_device_scoring_weights",
            (in, ex, c) -> {
              String v = in.path("value").isNull() ? null : in.path("value").asText();
              if (ex.path("error").asBoolean(false)) {
                assertThatThrownBy(() -> ScoringWeights.parse(v))
                    .isInstanceOf(InvalidScoringWeightsException.class)
                    .hasMessageContaining(ex.path("error_contains").asText());
              } else {
                JsonNode w = ex.path("weights");
                assertThat(ScoringWeights.parse(v))
                    .isEqualTo(
                        new ScoringWeights(
                            w.path("slot").asInt(),
                            w.path("core").asInt(),
                            w.path("memory").asInt()));
              }
            },
            "parse_reason",
            (in, ex, c) ->
                assertThat(FitReason.parse(in.path("reason").asText()))
                    .isEqualTo(FitJson.intMap(ex.path("counts")))));
  }

  @TestFactory
  Stream<DynamicTest> gpuSortAndScore() {
    return HamiVectors.tests(
        VectorKinds.FIT,
        "gpu-sort-and-score.json",
        Map.of(
            "device_compute_score",
            (in, ex, c) -> {
              List<GpuRequest> reqs = new ArrayList<>();
              for (JsonNode r : in.path("requests")) {
                reqs.add(FitJson.request(r));
              }
              JsonNode w = in.path("weights");
              float score =
                  Scores.deviceScore(
                      FitJson.device(in.path("device")),
                      reqs,
                      new ScoringWeights(
                          w.path("slot").asInt(),
                          w.path("core").asInt(),
                          w.path("memory").asInt()));
              assertThat(score).isCloseTo((float) ex.path("score").asDouble(), within(EPS));
            },
            "device_list_sort",
            (in, ex, c) -> {
              DeviceOrder order =
                  DeviceOrder.of(in.path("policy").asText(), in.path("numa_bind").asBoolean());
              List<DeviceOrder.ScoredDevice> items = new ArrayList<>();
              for (JsonNode it : in.path("items")) {
                items.add(scored(it));
              }
              items.sort(order.comparator());
              assertThat(items.get(items.size() - 1).usage().id())
                  .isEqualTo(ex.path("last_id").asText());
            },
            "device_list_less",
            (in, ex, c) -> {
              DeviceOrder order =
                  DeviceOrder.of(in.path("policy").asText(), in.path("numa_bind").asBoolean());
              assertThat(order.less(scored(in.path("a")), scored(in.path("b"))))
                  .isEqualTo(ex.path("less").asBoolean());
            }));
  }

  @TestFactory
  Stream<DynamicTest> nodeScore() {
    return HamiVectors.tests(
        VectorKinds.FIT,
        "node-score.json",
        Map.of(
            "node_default_score",
            (in, ex, c) ->
                assertThat(Scores.nodeScore(FitJson.devices(in.path("devices"))))
                    .isCloseTo((float) ex.path("score").asDouble(), within(EPS)),
            "node_list_less",
            (in, ex, c) ->
                assertThat(
                        Scores.nodeLess(
                            in.path("policy").asText(),
                            (float) in.path("score_i").asDouble(),
                            (float) in.path("score_j").asDouble()))
                    .isEqualTo(ex.path("less").asBoolean())));
  }

  @TestFactory
  Stream<DynamicTest> deviceFit() {
    return HamiVectors.tests(
        VectorKinds.FIT,
        "device-fit.json",
        Map.of(
            "nvidia_fit", FitConformanceTest::nvidiaFit,
            "nvidia_fit_on_node_devices", FitConformanceTest::nvidiaFit,
            "sort_then_fit",
                (in, ex, c) -> {
                  List<DeviceUsage> devs = FitJson.devices(in.path("devices"));
                  DeviceOrder order =
                      DeviceOrder.of(
                          in.path("list_policy").asText(), in.path("list_numa_bind").asBoolean());
                  List<DeviceOrder.ScoredDevice> scored = new ArrayList<>();
                  for (int i = 0; i < devs.size(); i++) {
                    scored.add(
                        new DeviceOrder.ScoredDevice(
                            devs.get(i), (float) in.path("scores").get(i).asDouble()));
                  }
                  scored.sort(order.comparator());
                  List<DeviceUsage> sorted = new ArrayList<>();
                  scored.forEach(s -> sorted.add(s.usage()));
                  PodSelectors sel =
                      PodSelectors.parse(
                          FitJson.annotations(in.path("pod_annotations")),
                          in.path("default_gpu_policy").asText(""));
                  FitResult r =
                      DeviceFit.fit(
                          sorted,
                          FitJson.request(in.path("request")),
                          sel,
                          Set.of(),
                          PairScores.NONE,
                          QuotaGate.OPEN);
                  checkFit(r, sorted.size(), ex);
                }));
  }

  @TestFactory
  Stream<DynamicTest> topology() {
    return HamiVectors.tests(
        VectorKinds.FIT,
        "topology.json",
        Map.of(
            "nvidia_fit",
            FitConformanceTest::nvidiaFit,
            "topology_worst_single_card",
            (in, ex, c) -> {
              List<String> cands = FitJson.strings(in.path("candidates"));
              int i = Topology.worstSingleCard(cands, FitJson.pairScores(in.path("pair_scores")));
              assertThat(List.of(cands.get(i))).isEqualTo(FitJson.strings(ex.path("selected")));
            },
            "topology_best_combination",
            (in, ex, c) -> {
              List<List<String>> combos = new ArrayList<>();
              for (JsonNode co : in.path("combinations")) {
                combos.add(FitJson.strings(co));
              }
              int i = Topology.bestCombination(combos, FitJson.pairScores(in.path("pair_scores")));
              assertThat(combos.get(i)).isEqualTo(FitJson.strings(ex.path("selected")));
            },
            "topology_generate_combinations",
            (in, ex, c) -> {
              int k = in.path("k").asInt();
              List<List<String>> combos =
                  Topology.combinations(FitJson.strings(in.path("candidates")), k);
              assertThat(combos).hasSize(ex.path("count").asInt());
              assertThat(combos)
                  .allSatisfy(x -> assertThat(x).hasSize(ex.path("each_size").asInt()));
            }));
  }

  @TestFactory
  Stream<DynamicTest> calcScore() {
    return HamiVectors.tests(
        VectorKinds.FIT,
        "calc-score.json",
        Map.of(
            "calc_score", FitConformanceTest::calcScoreCase,
            "fit_in_devices", FitConformanceTest::fitInDevicesCase));
  }

  @TestFactory
  Stream<DynamicTest> mig() {
    Map<String, CaseHandler> h = new HashMap<>();
    h.put("nvidia_fit", FitConformanceTest::nvidiaFit);
    h.put("fit_in_devices", FitConformanceTest::fitInDevicesCase);
    h.put(
        "mig_select_placement_sequence",
        (in, ex, c) ->
            assertThat(
                    MigPlanner.placeSequence(
                        FitJson.profiles(in.path("profiles")),
                        FitJson.strings(in.path("requests"))))
                .isEqualTo(intList(ex.path("starts"))));
    h.put(
        "mig_can_place",
        (in, ex, c) ->
            assertThat(
                    MigPlanner.canPlace(
                        FitJson.profiles(in.path("profiles")),
                        FitJson.placements(in.path("occupied")),
                        FitJson.strings(in.path("requested"))))
                .isEqualTo(ex.path("feasible").asBoolean()));
    h.put(
        "mig_add_resource_usage",
        (in, ex, c) -> {
          JsonNode cdIn = in.path("container_device");
          ContainerDevice cd =
              ContainerDevice.of(
                  cdIn.path("uuid").asText(),
                  GpuRequest.NVIDIA,
                  cdIn.path("usedmem").asInt(),
                  cdIn.path("usedcores").asInt());
          DeviceUsage dev = FitJson.device(in.path("device"));
          MigPlanner.Booking b = MigPlanner.addUsage(dev, cd).orElseThrow();
          JsonNode exCd = ex.path("container_device");
          assertThat(b.device().uuid()).isEqualTo(exCd.path("uuid").asText());
          assertThat(b.device().usedMemMiB()).isEqualTo(exCd.path("usedmem").asInt());
          assertThat(b.device().usedCores()).isEqualTo(exCd.path("usedcores").asInt());
          JsonNode res = ex.path("reservation");
          assertThat(b.reservation().profile()).isEqualTo(res.path("profile").asText());
          assertThat(b.reservation().placement())
              .isEqualTo(FitJson.placement(res.path("placement")));
          assertThat(b.device().mig()).isPresent();
          assertThat(b.usage().migInUse()).contains(b.reservation());
        });
    h.put(
        "mig_custom_filter",
        (in, ex, c) -> {
          List<ContainerDevice> sel = new ArrayList<>();
          for (JsonNode s : in.path("already_selected_in_container")) {
            sel.add(
                ContainerDevice.of(
                    s.path("uuid").asText(), GpuRequest.NVIDIA, s.path("usedmem").asInt(), 0));
          }
          assertThat(
                  MigPlanner.customFilter(
                      FitJson.device(in.path("device")), in.path("request_memreq").asInt(), sel))
              .isEqualTo(ex.path("fits").asBoolean());
        });
    h.put(
        "is_mig_request",
        (in, ex, c) -> {
          List<DeviceUsage> devs = new ArrayList<>();
          int i = 0;
          for (JsonNode m : in.path("device_modes")) {
            devs.add(
                DeviceUsage.idle(
                    new GpuDevice(
                        "gpu-" + i, i++, "NVIDIA", 1024, 100, 1, 0, true, m.asText(), List.of())));
          }
          PodSelectors sel =
              PodSelectors.parse(FitJson.annotations(in.path("pod_annotations")), "");
          assertThat(
                  MigPlanner.isMigRequest(in.path("request_type").asText(), devs, sel.vgpuMode()))
              .isEqualTo(ex.path("is_mig").asBoolean());
        });
    h.put(
        "mig_validate_allowlist",
        (in, ex, c) -> {
          List<MigAllowlist.Entry> entries = new ArrayList<>();
          for (JsonNode e : in.path("allowlist")) {
            entries.add(
                new MigAllowlist.Entry(
                    FitJson.strings(e.path("models")), FitJson.strings(e.path("profiles"))));
          }
          boolean valid;
          try {
            new MigAllowlist(entries).validate();
            valid = true;
          } catch (IllegalArgumentException e) {
            valid = false;
          }
          assertThat(valid).isEqualTo(ex.path("valid").asBoolean());
        });
    return HamiVectors.tests(VectorKinds.FIT, "mig.json", h);
  }

  @TestFactory
  Stream<DynamicTest> quota() {
    return HamiVectors.tests(
        VectorKinds.FIT,
        "quota.json",
        Map.of(
            "quota_fit",
            (in, ex, c) -> {
              QuotaState q = FitJson.quotaState(in);
              assertThat(
                      q.fitsPod(
                          in.path("namespace").asText(),
                          in.path("device").asText(),
                          in.path("memreq").asLong(),
                          in.path("coresreq").asLong()))
                  .isEqualTo(ex.path("fit").asBoolean());
            },
            "quota_usage",
            (in, ex, c) -> {
              QuotaState q = FitJson.quotaState(in);
              String ns = in.path("namespace").asText();
              List<List<ContainerDevice>> pod =
                  FitJson.containers(in.path("pod_devices").path(GpuRequest.NVIDIA));
              int i = 0;
              for (JsonNode step : in.path("steps")) {
                if (step.asText().equals("add")) {
                  q.addPod(ns, GpuRequest.NVIDIA, pod, 0);
                } else {
                  q.removePod(ns, GpuRequest.NVIDIA, pod, 0);
                }
                JsonNode after = ex.path("after_each_step").get(i++);
                after
                    .properties()
                    .forEach(
                        e -> assertThat(q.used(ns, e.getKey())).isEqualTo(e.getValue().asLong()));
              }
            },
            "quota_fit_during_fit",
            (in, ex, c) -> {
              QuotaState q = FitJson.quotaState(in);
              JsonNode cand = in.path("candidate");
              QuotaGate gate =
                  q.gate(
                      in.path("namespace").asText(),
                      GpuRequest.NVIDIA,
                      FitJson.containers(in.path("allocated_containers")),
                      in.path("init_container_count").asInt());
              assertThat(
                      gate.admits(
                          FitJson.containerDevices(in.path("current_container_selected")),
                          cand.path("uuid").asText(),
                          cand.path("usedmem").asInt(),
                          cand.path("usedcores").asInt()))
                  .isEqualTo(ex.path("fit").asBoolean());
            }));
  }

  // ---- shared handlers ----

  private static void nvidiaFit(JsonNode in, JsonNode ex, HamiVectors.VectorCase c) {
    List<DeviceUsage> devs = FitJson.devices(in.path("devices"));
    if (c.kind().equals("nvidia_fit_on_node_devices")) {
      devs = DeviceFit.nvidiaDevices(devs);
    }
    PodSelectors sel =
        PodSelectors.parse(
            FitJson.annotations(in.path("pod_annotations")),
            in.path("default_gpu_policy").asText(""));
    Set<String> cordon =
        DeviceFit.parseCordon(
            in.path("node_annotations").path(Annotations.DEVICE_CORDON).asText(null));
    PairScores ps = FitJson.pairScores(in.path("pair_scores"));
    FitResult r =
        DeviceFit.fit(devs, FitJson.request(in.path("request")), sel, cordon, ps, QuotaGate.OPEN);
    checkFit(r, devs.size(), ex);
  }

  private static void checkFit(FitResult r, int total, JsonNode ex) {
    if (ex.has("fit")) {
      assertThat(r.fits()).as("fit; reason %s", r.reason()).isEqualTo(ex.path("fit").asBoolean());
    }
    List<String> ids = r.devices().stream().map(ContainerDevice::uuid).toList();
    if (ex.has("device_ids")) {
      assertThat(ids).isEqualTo(FitJson.strings(ex.path("device_ids")));
    }
    if (ex.has("device_id_set")) {
      assertThat(ids)
          .containsExactlyInAnyOrderElementsOf(FitJson.strings(ex.path("device_id_set")));
    }
    if (ex.has("device_count")) {
      assertThat(ids).hasSize(ex.path("device_count").asInt());
    }
    if (ex.has("result_devices")) {
      assertThat(deviceMaps(r.devices(), ex.path("result_devices")))
          .isEqualTo(expectedMaps(ex.path("result_devices")));
    }
    if (ex.has("reason")) {
      assertThat(r.reason()).isEqualTo(ex.path("reason").asText());
    }
    if (ex.has("reason_counts")) {
      assertThat(r.reasonCounts()).isEqualTo(FitJson.intMap(ex.path("reason_counts")));
      if (ex.has("reason_total_devices")) {
        int n = ex.path("reason_total_devices").asInt();
        assertThat(total).isEqualTo(n);
        for (String part : r.reason().split(", ")) {
          assertThat(part).contains("/" + n + " ");
        }
      }
    }
    if (ex.has("reason_contains")) {
      assertThat(r.reason()).contains(ex.path("reason_contains").asText());
    }
    if (ex.has("result_usedmem")) {
      assertThat(r.devices().stream().map(ContainerDevice::usedMemMiB).toList())
          .isEqualTo(intList(ex.path("result_usedmem")));
    }
  }

  private static void calcScoreCase(JsonNode in, JsonNode ex, HamiVectors.VectorCase c) {
    JsonNode pod = in.path("pod");
    Map<String, String> ann = FitJson.annotations(pod.path("annotations"));
    if (ex.path("error").asBoolean(false)) {
      assertThatThrownBy(() -> PodSelectors.parse(ann, in.path("default_gpu_policy").asText("")))
          .isInstanceOf(InvalidScoringWeightsException.class)
          .hasMessageContaining(ex.path("error_contains").asText());
      return;
    }
    PodSelectors sel = PodSelectors.parse(ann, in.path("default_gpu_policy").asText(""));
    if (!in.path("weights_from_annotation").asBoolean(false) && in.has("weights")) {
      JsonNode w = in.path("weights");
      sel =
          sel.withWeights(
              new ScoringWeights(
                  w.path("slot").asInt(), w.path("core").asInt(), w.path("memory").asInt()));
    }
    List<GpuRequest> reqs = new ArrayList<>();
    for (JsonNode cr : in.path("container_requests")) {
      reqs.add(
          cr.has(GpuRequest.NVIDIA)
              ? FitJson.request(cr.path(GpuRequest.NVIDIA))
              : GpuRequest.NONE);
    }
    PodPlan base =
        new PodPlan(
            reqs,
            pod.path("init_container_count").asInt(),
            sel,
            DeviceOrder.of(sel.gpuPolicy(), sel.numaBind()),
            PodPlan.QuotaGates.NONE);
    Map<String, NodeEvaluator.Placed> placed = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    var it = in.path("nodes").properties().iterator();
    while (it.hasNext()) {
      var e = it.next();
      JsonNode n = e.getValue();
      PodPlan plan =
          base.withOrder(
              DeviceOrder.of(n.path("gpu_policy").asText(), n.path("numa_bind").asBoolean()));
      NodeEvaluator.Outcome o =
          NodeEvaluator.evaluate(
              plan,
              FitJson.devices(n.path("devices")),
              FitJson.pairScores(n.path("pair_scores")),
              Set.of());
      if (o instanceof NodeEvaluator.Placed p) {
        placed.put(e.getKey(), p);
      } else {
        failed.put(e.getKey(), ((NodeEvaluator.Rejected) o).reason());
      }
    }
    if (ex.has("nodes")) {
      assertThat(placed.keySet()).containsExactlyInAnyOrderElementsOf(fieldNames(ex.path("nodes")));
      var exIt = ex.path("nodes").properties().iterator();
      while (exIt.hasNext()) {
        var e = exIt.next();
        NodeEvaluator.Placed p = placed.get(e.getKey());
        if (e.getValue().has("score")) {
          assertThat(p.score())
              .isCloseTo((float) e.getValue().path("score").asDouble(), within(EPS));
        }
        if (e.getValue().has("devices")) {
          JsonNode exDevs = e.getValue().path("devices").path(GpuRequest.NVIDIA);
          assertThat(p.containers()).hasSize(exDevs.size());
          for (int i = 0; i < exDevs.size(); i++) {
            assertThat(deviceMaps(p.containers().get(i), exDevs.get(i)))
                .as("container %d", i)
                .isEqualTo(expectedMaps(exDevs.get(i)));
          }
        }
      }
    }
    if (ex.has("failed_nodes")) {
      Map<String, String> exFailed = new HashMap<>();
      ex.path("failed_nodes")
          .properties()
          .forEach(e -> exFailed.put(e.getKey(), e.getValue().asText()));
      assertThat(failed).isEqualTo(exFailed);
    }
    if (ex.has("node1_first_nonempty_container_first_device")) {
      NodeEvaluator.Placed p = placed.get("node1");
      assertThat(p).as("node1 placed; failed %s", failed).isNotNull();
      String first =
          p.containers().stream().filter(l -> !l.isEmpty()).findFirst().orElseThrow().get(0).uuid();
      assertThat(first).isEqualTo(ex.path("node1_first_nonempty_container_first_device").asText());
    }
    if (ex.has("node1_entry_lengths")) {
      assertThat(placed.get("node1").containers().stream().map(List::size).toList())
          .isEqualTo(intList(ex.path("node1_entry_lengths")));
    }
  }

  private static void fitInDevicesCase(JsonNode in, JsonNode ex, HamiVectors.VectorCase c) {
    PodSelectors sel = PodSelectors.parse(FitJson.annotations(in.path("pod_annotations")), "");
    DeviceUsage[] working = FitJson.devices(in.path("devices")).toArray(new DeviceUsage[0]);
    PodPlan plan =
        new PodPlan(
            List.of(),
            0,
            sel,
            DeviceOrder.of(in.path("gpu_policy").asText(), sel.numaBind()),
            PodPlan.QuotaGates.NONE);
    boolean fits = true;
    String reason = "";
    List<ContainerDevice> chosen = new ArrayList<>();
    var it = in.path("requests").elements();
    while (it.hasNext() && fits) {
      NodeEvaluator.ContainerFit f =
          NodeEvaluator.fitInDevices(
              working, FitJson.request(it.next()), plan, PairScores.NONE, Set.of(), QuotaGate.OPEN);
      fits = f.fits();
      reason = f.reason();
      chosen.addAll(f.devices());
    }
    if (ex.has("fit")) {
      assertThat(fits).as("fit; reason %s", reason).isEqualTo(ex.path("fit").asBoolean());
    }
    if (ex.has("reason")) {
      assertThat(reason).isEqualTo(ex.path("reason").asText());
    }
    if (ex.has("reason_counts_include")) {
      Map<String, Integer> counts = FitReason.parse(reason);
      FitJson.intMap(ex.path("reason_counts_include"))
          .forEach((k, v) -> assertThat(counts).containsEntry(k, v));
    }
    if (ex.has("container_devices_uuids")) {
      assertThat(chosen.stream().map(ContainerDevice::uuid).toList())
          .isEqualTo(FitJson.strings(ex.path("container_devices_uuids")));
    }
    if (ex.has("distinct_placements")) {
      var placements = chosen.stream().map(d -> d.mig().orElseThrow().placement()).toList();
      assertThat(placements.stream().distinct().count() == placements.size())
          .isEqualTo(ex.path("distinct_placements").asBoolean());
    }
  }

  // ---- helpers ----

  private static PodSelectors selectors(JsonNode in) {
    return PodSelectors.parse(FitJson.annotations(in.path("annotations")), "");
  }

  private static DeviceOrder.ScoredDevice scored(JsonNode it) {
    GpuDevice g =
        new GpuDevice(
            it.path("id").asText(""),
            it.path("index").asInt(),
            "NVIDIA",
            1,
            1,
            1,
            it.path("numa").asInt(),
            true,
            "",
            List.of());
    return new DeviceOrder.ScoredDevice(
        new DeviceUsage(g, it.path("used").asInt(), 0, 0, List.of()),
        (float) it.path("score").asDouble());
  }

  private static List<Integer> intList(JsonNode arr) {
    List<Integer> out = new ArrayList<>();
    arr.forEach(x -> out.add(x.asInt()));
    return out;
  }

  private static List<String> fieldNames(JsonNode o) {
    List<String> out = new ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Actual devices as maps with the keys the expectation uses ({@code idx} only if present). */
  private static List<Map<String, Object>> deviceMaps(List<ContainerDevice> ds, JsonNode expected) {
    boolean idx = expected.size() > 0 && expected.get(0).has("idx");
    List<Map<String, Object>> out = new ArrayList<>();
    for (ContainerDevice d : ds) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("uuid", d.uuid());
      m.put("type", d.type());
      m.put("usedmem", d.usedMemMiB());
      m.put("usedcores", d.usedCores());
      if (idx) {
        m.put("idx", d.index());
      }
      out.add(m);
    }
    return out;
  }

  private static List<Map<String, Object>> expectedMaps(JsonNode arr) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode e : arr) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("uuid", e.path("uuid").asText());
      m.put("type", e.path("type").asText());
      m.put("usedmem", e.path("usedmem").asInt());
      m.put("usedcores", e.path("usedcores").asInt());
      if (e.has("idx")) {
        m.put("idx", e.path("idx").asInt());
      }
      out.add(m);
    }
    return out;
  }
}
