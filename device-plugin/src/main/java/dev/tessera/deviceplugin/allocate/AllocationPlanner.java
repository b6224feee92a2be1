package dev.tessera.deviceplugin.allocate;

import dev.tessera.deviceplugin.deviceid.DeviceIds;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.MigAllocationsCodec;
import dev.tessera.engine.codec.MigReservation;
import dev.tessera.engine.model.ContainerDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Plans one kubelet Allocate call (hami-compat §8.3): which annotation entry serves each container
 * request, the env vars and mounts that inject HAMi-core, and the shortened to-allocate annotation.
 * In {@code mig} mode (§7.9) it instead realises each device's MIG reservation through {@link
 * MigInstances} and hands the container the MIG device UUIDs, without HAMi-core. Pure apart from
 * the {@link HostFiles} checks, the cache-file UUID source and MIG instance creation.
 */
public final class AllocationPlanner {
  public static final String LD_SO_PRELOAD = "/etc/ld.so.preload";
  public static final String VGPU_LOCK = "/tmp/vgpulock";
  public static final String LICENSE = "/tmp/license";
  public static final String VGPU_VALIDATOR = "/usr/bin/vgpuvalidator";
  public static final String CUDA_DISABLE_CONTROL = "CUDA_DISABLE_CONTROL";

  private final AllocatorConfig config;
  private final HostFiles files;
  private final Supplier<UUID> cacheIds;
  private final MigInstances mig;

  /**
   * A planner without MIG management ({@link MigInstances#unavailable()}).
   *
   * @param config effective node settings
   * @param files host filesystem checks (versioned libvgpu, license)
   * @param cacheIds source of the random UUIDs naming each container's shared cache file
   */
  public AllocationPlanner(AllocatorConfig config, HostFiles files, Supplier<UUID> cacheIds) {
    this(config, files, cacheIds, MigInstances.unavailable());
  }

  /**
   * @param config effective node settings
   * @param files host filesystem checks (versioned libvgpu, license)
   * @param cacheIds source of the random UUIDs naming each container's shared cache file
   * @param mig creates the MIG instances {@code mig}-mode Allocate hands out
   */
  public AllocationPlanner(
      AllocatorConfig config, HostFiles files, Supplier<UUID> cacheIds, MigInstances mig) {
    this.config = Objects.requireNonNull(config);
    this.files = Objects.requireNonNull(files);
    this.cacheIds = Objects.requireNonNull(cacheIds);
    this.mig = Objects.requireNonNull(mig);
  }

  /** A planner on the real filesystem with random cache-file UUIDs. */
  public static AllocationPlanner forHost(AllocatorConfig config) {
    return new AllocationPlanner(config, HostFiles.local(), UUID::randomUUID);
  }

  /**
   * Plans an Allocate call for {@code pod} from its {@code hami.io/vgpu-devices-to-allocate}
   * annotation.
   *
   * @param kubeletRequests kubelet's device IDs, one list per container request, in call order
   * @throws AllocateException when the annotation is missing, exhausted, maps to no container, or
   *     an entry's device count differs from kubelet's
   * @throws dev.tessera.engine.codec.AnnotationDecodeException when the annotation is malformed
   */
  public AllocationPlan plan(PodSpec pod, List<List<String>> kubeletRequests) {
    return plan(
        pod,
        PendingDevices.fromAnnotations(pod.annotations(), PendingDevices.NVIDIA),
        kubeletRequests);
  }

  /** As {@link #plan(PodSpec, List)} with the annotation already decoded. */
  public AllocationPlan plan(
      PodSpec pod, PendingDevices pending, List<List<String>> kubeletRequests) {
    // HAMi injects HAMi-core for every mode but "mig" (an empty mode included).
    if (AllocatorConfig.MODE_MIG.equals(config.operatingMode())) {
      return planMig(pod, pending, kubeletRequests);
    }
    var responses = new ArrayList<ContainerAllocation>(kubeletRequests.size());
    var current = pending;
    for (List<String> ids : kubeletRequests) {
      if (!ids.isEmpty() && ids.get(0).contains("MIG")) {
        // Static-MIG IDs bypass the annotation in HAMi; that path needs the device inventory.
        throw new AllocateException(
            AllocateException.Reason.UNSUPPORTED_MODE,
            "static MIG device IDs " + ids + " are not planned here: only hami-core Allocate is");
      }
      var popped = current.pop(pod);
      var devices = popped.devices();
      checkCount(pod, popped, ids);
      if (config.enableGetPreferredAllocation()) {
        devices = withKubeletChoice(devices, ids);
      }
      responses.add(respond(pod, popped.container(), devices));
      current = popped.remaining();
    }
    return new AllocationPlan(responses, current);
  }

  private static void checkCount(PodSpec pod, PendingDevices.Popped popped, List<String> ids) {
    if (popped.devices().size() != ids.size()) {
      throw new AllocateException(
          AllocateException.Reason.DEVICE_NUMBER_MISMATCH,
          "device number not matched: container "
              + popped.container().name()
              + " of pod "
              + pod.namespace()
              + "/"
              + pod.name()
              + " has "
              + popped.devices().size()
              + " device(s) in the annotation but kubelet requested "
              + ids.size()
              + " "
              + ids);
    }
  }

  /**
   * {@code mig} mode (§7.9): each entry device must have a reservation in {@code
   * hami.io/vgpu-mig-allocations} (same container index, same position, same GPU); the reserved
   * profile and placement are realised and the container sees only the MIG devices. Kubelet's own
   * IDs only count, as in HAMi with preferred allocation off.
   */
  private AllocationPlan planMig(
      PodSpec pod, PendingDevices pending, List<List<String>> kubeletRequests) {
    String value = pod.annotations().get(Annotations.MIG_ALLOCATIONS);
    if (value == null || value.isEmpty()) {
      throw new AllocateException(
          AllocateException.Reason.MIG_RESERVATION_MISSING,
          "pod "
              + pod.namespace()
              + "/"
              + pod.name()
              + " has no "
              + Annotations.MIG_ALLOCATIONS
              + " annotation, but node runs in mig mode: the scheduler did not reserve MIG"
              + " instances for it");
    }
    var reservations = new ArrayList<>(MigAllocationsCodec.decode(value));
    var responses = new ArrayList<ContainerAllocation>(kubeletRequests.size());
    var current = pending;
    for (List<String> ids : kubeletRequests) {
      var popped = current.pop(pod);
      checkCount(pod, popped, ids);
      int containerIndex = popped.container().entryIndex();
      var migUuids = new LinkedHashSet<String>();
      for (int d = 0; d < popped.devices().size(); d++) {
        var device = popped.devices().get(d);
        int at = reservationAt(reservations, containerIndex, d);
        if (at < 0 || !reservations.get(at).gpuUuid().equals(device.uuid())) {
          throw new AllocateException(
              AllocateException.Reason.MIG_RESERVATION_MISSING,
              "pod "
                  + pod.namespace()
                  + "/"
                  + pod.name()
                  + ", container "
                  + popped.container().name()
                  + ": "
                  + Annotations.MIG_ALLOCATIONS
                  + " has no reservation for device "
                  + d
                  + " ("
                  + device.uuid()
                  + ") of container index "
                  + containerIndex);
        }
        var r = reservations.get(at);
        var instance = mig.realise(r.gpuUuid(), r.profile(), r.placement());
        reservations.set(
            at,
            new MigReservation(
                r.containerIndex(),
                r.deviceIndex(),
                r.gpuUuid(),
                r.profile(),
                r.placement(),
                instance.migUuid(),
                OptionalInt.of(instance.gpuInstanceId()),
                OptionalInt.of(instance.computeInstanceId())));
        migUuids.add(instance.migUuid());
      }
      responses.add(
          new ContainerAllocation(
              popped.container(), popped.devices(), migEnvs(migUuids), List.of(), List.of()));
      current = popped.remaining();
    }
    return new AllocationPlan(
        responses, current, Optional.of(MigAllocationsCodec.encodeReservations(reservations)));
  }

  private static int reservationAt(List<MigReservation> all, int containerIndex, int deviceIndex) {
    for (int i = 0; i < all.size(); i++) {
      var r = all.get(i);
      if (r.containerIndex() == containerIndex && r.deviceIndex() == deviceIndex) {
        return i;
      }
    }
    return -1;
  }

  // The NVIDIA list strategy only: MIG instances are isolated by the hardware, so no HAMi-core.
  private Map<String, String> migEnvs(LinkedHashSet<String> migUuids) {
    var envs = new LinkedHashMap<String, String>();
    envs.put("NVIDIA_VISIBLE_DEVICES", String.join(",", migUuids));
    if (config.gdrcopyEnabled()) {
      envs.put("NVIDIA_GDRCOPY", "enabled");
    }
    if (config.gdsEnabled()) {
      envs.put("NVIDIA_GDS", "enabled");
    }
    if (config.mofedEnabled()) {
      envs.put("NVIDIA_MOFED", "enabled");
    }
    return envs;
  }

  // With preferred allocation kubelet's IDs are authoritative: it may have picked other replicas
  // (or GPUs) than the scheduler annotated.
  private static List<ContainerDevice> withKubeletChoice(
      List<ContainerDevice> devices, List<String> ids) {
    var out = new ArrayList<ContainerDevice>(devices.size());
    for (int i = 0; i < devices.size(); i++) {
      var d = devices.get(i);
      out.add(
          new ContainerDevice(
              d.index(),
              DeviceIds.physicalUuid(ids.get(i)),
              d.type(),
              d.usedMemMiB(),
              d.usedCores(),
              d.mig()));
    }
    return out;
  }

  private ContainerAllocation respond(
      PodSpec pod, PodSpec.ContainerRef container, List<ContainerDevice> devices) {
    var envs = new LinkedHashMap<String, String>();
    var uuids = new LinkedHashSet<String>();
    devices.forEach(d -> uuids.add(d.uuid()));
    envs.put("NVIDIA_VISIBLE_DEVICES", String.join(",", uuids));
    if (config.gdrcopyEnabled()) {
      envs.put("NVIDIA_GDRCOPY", "enabled");
    }
    if (config.gdsEnabled()) {
      envs.put("NVIDIA_GDS", "enabled");
    }
    if (config.mofedEnabled()) {
      envs.put("NVIDIA_MOFED", "enabled");
    }
    for (int i = 0; i < devices.size(); i++) {
      envs.put("CUDA_DEVICE_MEMORY_LIMIT_" + i, devices.get(i).usedMemMiB() + "m");
    }
    // HAMi-core applies one SM limit to all devices: the first device's.
    envs.put("CUDA_DEVICE_SM_LIMIT", Integer.toString(devices.get(0).usedCores()));
    String vgpu = config.vgpuDir();
    envs.put("CUDA_DEVICE_MEMORY_SHARED_CACHE", vgpu + "/" + cacheIds.get() + ".cache");
    if (config.deviceMemoryScaling() > 1) {
      envs.put("CUDA_OVERSUBSCRIBE", "true");
    }
    if (!config.libCudaLogLevel().isEmpty()) {
      envs.put("LIBCUDA_LOG_LEVEL", config.libCudaLogLevel());
    }
    if (config.disableCoreLimit()) {
      envs.put("GPU_CORE_UTILIZATION_POLICY", "disable");
    }

    var mounts = new ArrayList<Mount>();
    String versioned = vgpu + "/libvgpu.so." + config.pluginVersion();
    String lib =
        !config.pluginVersion().isEmpty() && files.exists(versioned)
            ? versioned
            : vgpu + "/libvgpu.so";
    mounts.add(new Mount(vgpu + "/libvgpu.so", lib, true));
    String cacheDir = vgpu + "/containers/" + pod.uid() + "_" + container.name();
    mounts.add(new Mount(vgpu, cacheDir, false));
    mounts.add(new Mount(VGPU_LOCK, VGPU_LOCK, false));
    if (!goParseBoolTrue(container.spec().env().get(CUDA_DISABLE_CONTROL))) {
      mounts.add(new Mount(LD_SO_PRELOAD, vgpu + "/ld.so.preload", true));
    }
    if (files.exists(vgpu + "/license")) {
      mounts.add(new Mount(LICENSE, vgpu + "/license", true));
      mounts.add(new Mount(VGPU_VALIDATOR, vgpu + "/vgpuvalidator", true));
    }
    return new ContainerAllocation(container, devices, envs, mounts, List.of(cacheDir, VGPU_LOCK));
  }

  /**
   * True when {@code value} is a Go {@code strconv.ParseBool} true literal; anything else is not.
   */
  static boolean goParseBoolTrue(String value) {
    if (value == null) {
      return false;
    }
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      default -> false;
    };
  }
}
