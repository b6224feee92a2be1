package dev.tessera.deviceplugin.allocate;

import dev.tessera.engine.model.ContainerDevice;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Allocate response for one container request (hami-compat §8.3 step 3.4).
 *
 * @param container the pod container these devices belong to
 * @param devices the annotated devices, UUIDs already replaced by kubelet's choice when preferred
 *     allocation is on
 * @param envs environment variables to set, in the order HAMi adds them
 * @param mounts bind mounts
 * @param hostDirectories host directories the server must (re)create with mode 0777 before
 *     answering kubelet
 */
public record ContainerAllocation(
    PodSpec.ContainerRef container,
    List<ContainerDevice> devices,
    Map<String, String> envs,
    List<Mount> mounts,
    List<String> hostDirectories) {
  public ContainerAllocation {
    devices = List.copyOf(devices);
    envs = Collections.unmodifiableMap(new LinkedHashMap<>(envs));
    mounts = List.copyOf(mounts);
    hostDirectories = List.copyOf(hostDirectories);
  }

  /** The mount at {@code containerPath}, if any. */
  public Optional<Mount> mountAt(String containerPath) {
    return mounts.stream().filter(m -> m.containerPath().equals(containerPath)).findFirst();
  }

  /** Whether {@code /etc/ld.so.preload} is mounted (HAMi-core is injected). */
  public boolean mountsLdSoPreload() {
    return mountAt(AllocationPlanner.LD_SO_PRELOAD).isPresent();
  }
}
