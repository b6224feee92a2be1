package dev.tessera.extender.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.testing.SharedReferences;
import dev.tessera.extender.Fixtures;
import dev.tessera.extender.Manifests;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.KubeNode;
import dev.tessera.extender.wire.KubePod;
import dev.tessera.extender.wire.NodeList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interop with HAMi's formats: every node register annotation in HAMi's own test vectors ({@code
 * hami-vectors/node-annotation-codec.json}, kinds {@code nvidia_get_node_devices} and {@code
 * decode_node_devices_legacy}) is put on a Node object and offered to filter. Annotations HAMi's
 * NVIDIA backend rejects (malformed JSON, no GPU, and the legacy colon form, which only other
 * vendors use) leave the node unresolvable with the decoder's reason (the extender keeps serving);
 * a node HAMi decodes to GPUs takes a small pod, and bind writes {@code
 * hami.io/vgpu-devices-to-allocate} in the grammar HAMi's device plugin reads ({@code
 * pod-annotation-codec.json}: {@code uuid,type,mem,cores:} per device, {@code ;} per container),
 * naming one of the node's registered GPUs.
 */
class HamiVectorInteropTest {
  private static final String VECTORS = "reference/hami-vectors/node-annotation-codec.json";
  private static final int MEM_MIB = 1000;
  private static final int CORES = 10;

  /** {@code uuid,NVIDIA,mem,cores:} repeated, then {@code ;}: one container. */
  private static final String HAMI_CONTAINER = "([^,:;]+,NVIDIA,\\d+,\\d+:)+;";

  static Stream<Arguments> registerVectors() {
    var root = SharedReferences.root();
    if (root.isEmpty()) {
      return Stream.of(Arguments.of("(../shared absent)", null, null, false));
    }
    JsonNode suite = Fixtures.read(root.get().resolve(VECTORS));
    var out = new ArrayList<Arguments>();
    for (JsonNode c : suite.path("cases")) {
      String kind = c.path("kind").asText();
      String register;
      if (kind.equals("nvidia_get_node_devices")) {
        JsonNode a = c.path("input").path("annotations");
        if (!a.has(Annotations.NODE_REGISTER)) {
          continue; // "annotation missing" is the unregistered path, covered elsewhere
        }
        register = a.path(Annotations.NODE_REGISTER).asText();
      } else if (kind.equals("decode_node_devices_legacy")) {
        register = c.path("input").path("encoded").asText();
      } else {
        continue;
      }
      ObjectNode node = Manifests.nodeWithRegister(c.path("id").asText(), register, 10);
      // the other annotations of the case (pair scores) travel with the register annotation
      Iterator<Map.Entry<String, JsonNode>> it = c.path("input").path("annotations").fields();
      while (it.hasNext()) {
        var e = it.next();
        ((ObjectNode) node.path("metadata").path("annotations"))
            .put(e.getKey(), e.getValue().asText());
      }
      out.add(
          Arguments.of(c.path("id").asText(), node, c.path("expect"), !kind.startsWith("nvidia")));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registerVectors")
  void hamiRegisteredNodeIsScheduledOntoAndTheAllocationIsInHamisGrammar(
      String id, ObjectNode node, JsonNode expect, boolean legacy) {
    assumeTrue(node != null, "../shared/reference is absent");
    var pod = Manifests.pod("default", "p-" + id, MEM_MIB, CORES);
    var parsed = KubeNode.parse(node, "nvidia.com/gpu", Fixtures.CLOCK);
    InMemoryCluster cluster =
        InMemoryCluster.of(
            parsed instanceof KubeNode.Usable u ? List.of(u.node()) : List.of(),
            List.of(),
            List.of(KubePod.fromJson(pod)));
    Extender extender = Fixtures.extender(cluster);

    ExtenderFilterResult r =
        extender.filter(new ExtenderArgs(pod, new NodeList(List.of(node)), null));

    assertThat(r.error()).isNull();
    Set<String> registered = registeredUuids(expect);
    if (legacy || expect.path("error").asBoolean(false) || registered.isEmpty()) {
      // HAMi's NVIDIA backend refuses the annotation (only JSON is accepted there, §3.1; legacy
      // colon forms are other vendors'), or it lists no GPU: never a candidate, with the reason
      assertThat(r.nodes().items()).isEmpty();
      assertThat(r.failedAndUnresolvableNodes().get(id)).startsWith(KubeNode.UNREGISTERED);
      return;
    }
    assertThat(r.nodes().items())
        .as("feasible nodes; failed: %s", r.failedAndUnresolvableNodes())
        .hasSize(1);

    var bound = extender.bind(new ExtenderBindingArgs("p-" + id, "default", null, id));

    assertThat(bound.ok()).as(bound.error()).isTrue();
    String written =
        cluster
            .pod("default", "p-" + id)
            .orElseThrow()
            .annotations()
            .get(Annotations.DEVICES_TO_ALLOCATE);
    assertThat(written).matches(HAMI_CONTAINER);
    List<List<ContainerDevice>> containers =
        PodDevicesCodec.decode(Annotations.DEVICES_TO_ALLOCATE, written);
    assertThat(containers.get(0)).hasSize(1);
    ContainerDevice d = containers.get(0).get(0);
    assertThat(registered).contains(d.uuid());
    // a MIG instance books its whole profile (1g.5gb: 5,120 MiB, 100/7 % cores), a GPU the request
    assertThat(d.usedCores()).isGreaterThanOrEqualTo(CORES);
    assertThat(d.usedMemMiB()).isGreaterThanOrEqualTo(MEM_MIB);
  }

  /**
   * The GPU ids HAMi decodes from the annotation: {@code devices[].id}, or for summary-only
   * expectations the count.
   */
  private static Set<String> registeredUuids(JsonNode expect) {
    var out = new HashSet<String>();
    for (JsonNode d : expect.path("devices")) {
      out.add(d.path("id").asText());
    }
    if (out.isEmpty() && expect.path("device_count").asInt(0) > 0) {
      // summary expectations (MIG, pair scores) name GPU-0 … GPU-(n-1)
      for (int i = 0; i < expect.path("device_count").asInt(); i++) {
        out.add("GPU-" + i);
      }
    }
    return out;
  }
}
