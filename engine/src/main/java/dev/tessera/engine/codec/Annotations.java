package dev.tessera.engine.codec;

/** HAMi annotation and label keys (hami-compat §3, §4). */
public final class Annotations {
  private Annotations() {}

  // Node
  public static final String NODE_REGISTER = "hami.io/node-nvidia-register";
  public static final String NODE_PAIR_SCORE = "hami.io/node-nvidia-score";
  public static final String NODE_HANDSHAKE = "hami.io/node-handshake";
  public static final String NODE_LOCK = "hami.io/mutex.lock";
  public static final String DEVICE_CORDON = "hami.io/device-cordon";

  // Pod, written by the scheduler and device plugin
  public static final String DEVICES_TO_ALLOCATE = "hami.io/vgpu-devices-to-allocate";
  public static final String DEVICES_ALLOCATED = "hami.io/vgpu-devices-allocated";
  public static final String VGPU_NODE = "hami.io/vgpu-node";
  public static final String VGPU_TIME = "hami.io/vgpu-time";
  public static final String BIND_PHASE = "hami.io/bind-phase";
  public static final String BIND_TIME = "hami.io/bind-time";
  public static final String MIG_ALLOCATIONS = "hami.io/vgpu-mig-allocations";

  // Pod, written by users
  public static final String USE_GPU_UUID = "nvidia.com/use-gpuuuid";
  public static final String NOUSE_GPU_UUID = "nvidia.com/nouse-gpuuuid";
  public static final String USE_GPU_TYPE = "nvidia.com/use-gputype";
  public static final String NOUSE_GPU_TYPE = "nvidia.com/nouse-gputype";
  public static final String VGPU_MODE = "nvidia.com/vgpu-mode";
  public static final String NUMA_BIND = "nvidia.com/numa-bind";
  public static final String NODE_SCHEDULER_POLICY = "hami.io/node-scheduler-policy";
  public static final String GPU_SCHEDULER_POLICY = "hami.io/gpu-scheduler-policy";
  public static final String DEVICE_SCORING_WEIGHTS = "hami.io/device-scoring-weights";
}
