package dev.tessera.engine.fit;

import dev.tessera.engine.model.ContainerDevice;
import java.util.List;

/**
 * Fit step 10 (hami-compat §9.2): would booking one more device keep the pod's namespace within its
 * quota? Bound to one pod and one container; knows the pod's earlier containers.
 */
@FunctionalInterface
public interface QuotaGate {
  /** A gate that admits everything (no quota tracked). */
  QuotaGate OPEN = (selected, uuid, memMiB, cores) -> true;

  /**
   * True when the container's {@code selected} devices plus a candidate on GPU {@code uuid} with
   * {@code memMiB} MiB and {@code cores} percent stay within quota.
   */
  boolean admits(List<ContainerDevice> selected, String uuid, int memMiB, int cores);
}
