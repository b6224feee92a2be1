package dev.tessera.engine.codec;

import dev.tessera.engine.model.ContainerDevice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the device plugin tells pending pods apart (hami-compat §8.3 step 1, without HAMi's guess),
 * in one place for both sides: the plugin matches a kubelet Allocate call to a pod by it, and the
 * extender's bind gate uses it to avoid binding two pods the plugin could not tell apart.
 *
 * <p>Kubelet's Allocate carries no pod identity, only how many device IDs each container request
 * holds; a pod is matched by the device counts of its unserved {@code
 * hami.io/vgpu-devices-to-allocate} entries (its <em>signature</em>).
 */
public final class PendingAllocation {
  /** Bind phases in which a pod may still be allocating. */
  public static final Set<String> WAITING_PHASES =
      Set.of(BindPhase.ALLOCATING.wire(), BindPhase.SUCCESS.wire());

  private PendingAllocation() {}

  /** Device counts of the unserved (non-empty) entries, in annotation order. */
  public static List<Integer> pendingCounts(List<List<ContainerDevice>> entries) {
    var counts = new ArrayList<Integer>();
    for (List<ContainerDevice> e : entries) {
      if (!e.isEmpty()) {
        counts.add(e.size());
      }
    }
    return List.copyOf(counts);
  }

  /**
   * The signature of a {@code hami.io/vgpu-devices-to-allocate} value: an empty list when the value
   * is absent (nothing to serve), an empty Optional when it does not decode.
   */
  public static Optional<List<Integer>> pendingCounts(String devicesToAllocate) {
    if (devicesToAllocate == null) {
      return Optional.of(List.of());
    }
    try {
      return Optional.of(
          pendingCounts(
              PodDevicesCodec.decode(Annotations.DEVICES_TO_ALLOCATE, devicesToAllocate)));
    } catch (AnnotationDecodeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the scheduler bound a pod to {@code nodeName} and it still waits for devices there:
   * status phase Pending, a bind time, bind phase in {@link #WAITING_PHASES} and unserved (or
   * undecodable, so that Allocate reports the decode error on it) entries.
   */
  public static boolean waiting(String podPhase, Map<String, String> annotations, String nodeName) {
    return "Pending".equals(podPhase)
        && annotations.containsKey(Annotations.BIND_TIME)
        && WAITING_PHASES.contains(annotations.get(Annotations.BIND_PHASE))
        && nodeName.equals(annotations.get(Annotations.VGPU_NODE))
        && pendingCounts(annotations.get(Annotations.DEVICES_TO_ALLOCATE))
            .map(e -> !e.isEmpty())
            .orElse(true);
  }

  /** Whether a kubelet call asking for {@code requested} device counts fits {@code pending}. */
  public static boolean fits(List<Integer> pending, List<Integer> requested) {
    return pending.size() >= requested.size()
        && pending.subList(0, requested.size()).equals(requested);
  }

  /**
   * Whether the plugin could fail to tell two waiting pods apart: true when some per-container
   * count occurs in both signatures. Kubelet allocates one container per call and each pod's
   * entries are served in order, so as containers are served either pod's next entry can be any of
   * its counts; a call for a count both hold could then {@link #fits fit} both.
   */
  public static boolean indistinguishable(List<Integer> a, List<Integer> b) {
    Set<Integer> counts = new HashSet<>(a);
    for (int c : b) {
      if (counts.contains(c)) {
        return true;
      }
    }
    return false;
  }
}
