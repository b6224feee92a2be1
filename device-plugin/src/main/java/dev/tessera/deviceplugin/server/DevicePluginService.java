package dev.tessera.deviceplugin.server;

import dev.tessera.deviceplugin.allocate.AllocateException;
import dev.tessera.deviceplugin.allocate.AllocationPlan;
import dev.tessera.deviceplugin.allocate.AllocationPlanner;
import dev.tessera.deviceplugin.allocate.ContainerAllocation;
import dev.tessera.deviceplugin.allocate.PendingDevices;
import dev.tessera.deviceplugin.api.v1beta1.AllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.AllocateResponse;
import dev.tessera.deviceplugin.api.v1beta1.ContainerAllocateRequest;
import dev.tessera.deviceplugin.api.v1beta1.ContainerAllocateResponse;
import dev.tessera.deviceplugin.api.v1beta1.ContainerPreferredAllocationRequest;
import dev.tessera.deviceplugin.api.v1beta1.ContainerPreferredAllocationResponse;
import dev.tessera.deviceplugin.api.v1beta1.DevicePluginGrpc;
import dev.tessera.deviceplugin.api.v1beta1.DevicePluginOptions;
import dev.tessera.deviceplugin.api.v1beta1.DeviceSpec;
import dev.tessera.deviceplugin.api.v1beta1.Empty;
import dev.tessera.deviceplugin.api.v1beta1.ListAndWatchResponse;
import dev.tessera.deviceplugin.api.v1beta1.PreStartContainerRequest;
import dev.tessera.deviceplugin.api.v1beta1.PreStartContainerResponse;
import dev.tessera.deviceplugin.api.v1beta1.PreferredAllocationRequest;
import dev.tessera.deviceplugin.api.v1beta1.PreferredAllocationResponse;
import dev.tessera.deviceplugin.deviceid.PreferredAllocation;
import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.model.ContainerDevice;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kubelet-facing {@code v1beta1.DevicePlugin} service (hami-compat §8.3-§8.5). Allocate calls
 * are serialized, as in HAMi, so that two pods on the node never read the same annotation state.
 */
public final class DevicePluginService extends DevicePluginGrpc.DevicePluginImplBase {
  private static final System.Logger LOG = System.getLogger(DevicePluginService.class.getName());

  /** Control devices every GPU container needs when device specs are passed. */
  static final List<String> CONTROL_DEVICES =
      List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools");

  private final PluginConfig config;
  private final AdvertisedDevices devices;
  private final PodSource pods;
  private final PendingPodFinder finder;
  private final PodPatcher patcher;
  private final AllocationPlanner planner;
  private final HostDirectories directories;
  private final ReentrantLock allocateLock = new ReentrantLock();

  DevicePluginService(
      PluginConfig config,
      AdvertisedDevices devices,
      PodSource pods,
      PodPatcher patcher,
      AllocationPlanner planner,
      HostDirectories directories) {
    this.config = Objects.requireNonNull(config);
    this.devices = Objects.requireNonNull(devices);
    this.pods = Objects.requireNonNull(pods);
    this.finder = new PendingPodFinder(pods);
    this.patcher = Objects.requireNonNull(patcher);
    this.planner = Objects.requireNonNull(planner);
    this.directories = Objects.requireNonNull(directories);
  }

  @Override
  public void getDevicePluginOptions(Empty request, StreamObserver<DevicePluginOptions> out) {
    // HAMi always answers true here; kubelet goes by the registration option (§8.5).
    out.onNext(DevicePluginOptions.newBuilder().setGetPreferredAllocationAvailable(true).build());
    out.onCompleted();
  }

  @Override
  public void listAndWatch(Empty request, StreamObserver<ListAndWatchResponse> out) {
    if (out instanceof ServerCallStreamObserver<ListAndWatchResponse> server) {
      server.setOnCancelHandler(() -> devices.unwatch(out));
    }
    devices.watch(out);
  }

  @Override
  public void preStartContainer(
      PreStartContainerRequest request, StreamObserver<PreStartContainerResponse> out) {
    out.onNext(PreStartContainerResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void getPreferredAllocation(
      PreferredAllocationRequest request, StreamObserver<PreferredAllocationResponse> out) {
    var response = PreferredAllocationResponse.newBuilder();
    var sizes =
        request.getContainerRequestsList().stream()
            .map(ContainerPreferredAllocationRequest::getAllocationSize)
            .toList();
    try {
      PodInfo pod = finder.find(config.nodeName(), sizes);
      var entries =
          PendingDevices.fromAnnotations(pod.spec().annotations(), PendingDevices.NVIDIA)
              .entries()
              .stream()
              .map(e -> e.stream().map(ContainerDevice::uuid).toList())
              .toList();
      var requests =
          request.getContainerRequestsList().stream()
              .map(
                  r ->
                      new PreferredAllocation.ContainerRequest(
                          r.getAvailableDeviceIDsList(),
                          r.getMustIncludeDeviceIDsList(),
                          r.getAllocationSize()))
              .toList();
      // HAMi leaves a container without preference out of the response.
      for (var choice : PreferredAllocation.forRequests(entries, requests)) {
        choice.ifPresent(
            ids ->
                response.addContainerResponses(
                    ContainerPreferredAllocationResponse.newBuilder().addAllDeviceIDs(ids)));
      }
    } catch (PodLookupException | AllocateException | AnnotationDecodeException e) {
      // A preference is only advice: without a pod kubelet picks on its own.
      LOG.log(System.Logger.Level.WARNING, "no preferred allocation: " + e.getMessage());
    }
    out.onNext(response.build());
    out.onCompleted();
  }

  @Override
  public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> out) {
    AllocateResponse response;
    allocateLock.lock();
    try {
      response = allocateLocked(request);
    } catch (StatusRuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Allocate failed: " + e.getStatus().getDescription());
      out.onError(e);
      return;
    } finally {
      allocateLock.unlock();
    }
    out.onNext(response);
    out.onCompleted();
  }

  private AllocateResponse allocateLocked(AllocateRequest request) {
    List<List<String>> ids =
        request.getContainerRequestsList().stream()
            .map(ContainerAllocateRequest::getDevicesIdsList)
            .map(List::copyOf)
            .toList();
    PodInfo pod;
    try {
      pod = finder.find(config.nodeName(), ids.stream().map(List::size).toList());
    } catch (PodLookupException e) {
      // A missing pod cannot be marked; ambiguous candidates are all failed so that none starts
      // with devices meant for another.
      var failures = new ArrayList<Throwable>();
      e.candidates().forEach(p -> markFailed(p, failures));
      throw fail(Status.FAILED_PRECONDITION, e.getMessage(), e, failures);
    }
    AllocationPlan plan;
    var response = AllocateResponse.newBuilder();
    try {
      plan = planner.plan(pod.spec(), ids);
      // Everything that can fail on this node happens before the annotation is shortened.
      for (var c : plan.containers()) {
        response.addContainerResponses(toProto(c));
        for (String dir : c.hostDirectories()) {
          directories.ensure(dir);
        }
      }
    } catch (AllocateException | AnnotationDecodeException | IOException e) {
      var failures = new ArrayList<Throwable>();
      markFailed(pod, failures);
      throw fail(
          Status.FAILED_PRECONDITION,
          "Allocate for pod " + pod.display() + " failed: " + e.getMessage(),
          e,
          failures);
    }
    try {
      for (var patch : plan.podAnnotationPatches()) {
        patcher.patchAnnotations(pod.ref(), patch);
      }
    } catch (RuntimeException e) {
      var failures = new ArrayList<Throwable>();
      markFailed(pod, failures);
      throw fail(
          Status.UNAVAILABLE,
          "Allocate for pod " + pod.display() + ": patching its annotations failed: " + e,
          e,
          failures);
    }
    finishIfServed(pod);
    return response.build();
  }

  // Step 5: once no container waits any more, the pod's bind succeeded and the node is free.
  private void finishIfServed(PodInfo pod) {
    try {
      var fresh = pods.pod(pod.ref());
      String left =
          fresh.map(p -> p.spec().annotations().get(Annotations.DEVICES_TO_ALLOCATE)).orElse("");
      if (left == null || !left.contains(PendingDevices.NVIDIA)) {
        patcher.patchAnnotations(pod.ref(), Map.of(Annotations.BIND_PHASE, "success"));
        patcher.releaseNodeLock(config.nodeName(), pod.ref());
      }
    } catch (RuntimeException e) {
      // The devices are already handed out; the scheduler's bind timeout recovers the phase.
      LOG.log(
          System.Logger.Level.WARNING,
          "pod " + pod.display() + ": marking bind-phase success failed: " + e);
    }
  }

  private void markFailed(PodInfo pod, List<Throwable> failures) {
    try {
      patcher.patchAnnotations(pod.ref(), Map.of(Annotations.BIND_PHASE, "failed"));
    } catch (RuntimeException e) {
      failures.add(e);
    }
    try {
      patcher.releaseNodeLock(config.nodeName(), pod.ref());
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  private static StatusRuntimeException fail(
      Status status, String message, Throwable cause, List<Throwable> failures) {
    var e = status.withDescription(message).withCause(cause).asRuntimeException();
    failures.forEach(e::addSuppressed);
    return e;
  }

  private ContainerAllocateResponse toProto(ContainerAllocation c) {
    var b = ContainerAllocateResponse.newBuilder().putAllEnvs(c.envs());
    for (var m : c.mounts()) {
      b.addMounts(
          dev.tessera.deviceplugin.api.v1beta1.Mount.newBuilder()
              .setContainerPath(m.containerPath())
              .setHostPath(m.hostPath())
              .setReadOnly(m.readOnly()));
    }
    if (config.passDeviceSpecs()) {
      var paths = new LinkedHashSet<String>(CONTROL_DEVICES);
      for (var d : c.devices()) {
        var gpu =
            devices
                .gpu(d.uuid())
                .orElseThrow(
                    () ->
                        new AllocateException(
                            AllocateException.Reason.UNKNOWN_DEVICE,
                            "container "
                                + c.container().name()
                                + " was given GPU "
                                + d.uuid()
                                + ", which this node does not advertise"));
        paths.add("/dev/nvidia" + gpu.index());
      }
      for (String p : paths) {
        b.addDevices(
            DeviceSpec.newBuilder().setContainerPath(p).setHostPath(p).setPermissions("rw"));
      }
    }
    return b.build();
  }
}
