package dev.tessera.deviceplugin.server;

import dev.tessera.deviceplugin.allocate.PodSpec;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory API server for one node: pods, the node lock, and a log of patches. Public in the
 * test-jar for the CLI's end-to-end test.
 */
public final class FakeKubernetes implements PodSource, PodPatcher {
  /** One recorded patch. */
  public record Patch(PodRef pod, Map<String, String> annotations) {}

  private final Map<PodRef, PodInfo> pods = new LinkedHashMap<>();
  private final Map<String, String> locks = new HashMap<>();
  public final List<Patch> patches = new ArrayList<>();
  public final List<PodRef> lockReleases = new ArrayList<>();

  public synchronized void put(PodInfo pod) {
    pods.put(pod.ref(), pod);
  }

  public synchronized void lock(String node, String value) {
    locks.put(node, value);
  }

  public synchronized Map<String, String> annotations(PodRef ref) {
    return pods.get(ref).spec().annotations();
  }

  @Override
  public synchronized List<PodInfo> podsOnNode(String nodeName) {
    return pods.values().stream().filter(p -> p.nodeName().equals(nodeName)).toList();
  }

  @Override
  public synchronized Optional<PodInfo> pod(PodRef ref) {
    return Optional.ofNullable(pods.get(ref));
  }

  @Override
  public synchronized Optional<String> nodeLock(String nodeName) {
    return Optional.ofNullable(locks.get(nodeName));
  }

  @Override
  public synchronized void patchAnnotations(PodRef ref, Map<String, String> annotations) {
    patches.add(new Patch(ref, Map.copyOf(annotations)));
    var p = pods.get(ref);
    var merged = new HashMap<>(p.spec().annotations());
    annotations.forEach(
        (k, v) -> {
          if (v == null) {
            merged.remove(k);
          } else {
            merged.put(k, v);
          }
        });
    var s = p.spec();
    pods.put(
        ref,
        new PodInfo(
            new PodSpec(
                s.uid(), s.name(), s.namespace(), merged, s.initContainers(), s.containers()),
            p.nodeName(),
            p.phase()));
  }

  @Override
  public synchronized void releaseNodeLock(String nodeName, PodRef holder) {
    lockReleases.add(holder);
    String v = locks.get(nodeName);
    if (v != null && v.endsWith("," + holder.namespace() + "," + holder.name())) {
      locks.remove(nodeName);
    }
  }

  public synchronized String bindPhase(PodRef ref) {
    return pods.get(ref).spec().annotations().get(Annotations.BIND_PHASE);
  }
}
