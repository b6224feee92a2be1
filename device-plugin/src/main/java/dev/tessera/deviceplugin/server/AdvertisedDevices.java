package dev.tessera.deviceplugin.server;

import dev.tessera.deviceplugin.api.v1beta1.Device;
import dev.tessera.deviceplugin.api.v1beta1.ListAndWatchResponse;
import dev.tessera.deviceplugin.api.v1beta1.NUMANode;
import dev.tessera.deviceplugin.api.v1beta1.TopologyInfo;
import dev.tessera.deviceplugin.deviceid.DeviceIds;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The virtual devices advertised to kubelet and the ListAndWatch streams watching them. A GPU that
 * was once reported unhealthy stays unhealthy (hami-compat §8.2). Thread-safe: every method
 * synchronizes, which also serializes the writes to each stream as gRPC requires.
 */
final class AdvertisedDevices {
  static final String HEALTHY = "Healthy";
  static final String UNHEALTHY = "Unhealthy";

  private final PluginConfig config;
  private final Set<String> unhealthy = new HashSet<>();
  private final List<StreamObserver<ListAndWatchResponse>> watchers = new ArrayList<>();
  private Map<String, GpuInfo> gpus = Map.of();
  private ListAndWatchResponse current = ListAndWatchResponse.getDefaultInstance();

  AdvertisedDevices(PluginConfig config) {
    this.config = config;
  }

  /**
   * Applies a fresh device listing; when the advertised list changed, every watcher gets it.
   *
   * @return whether the advertised list changed
   */
  synchronized boolean update(List<GpuInfo> fresh) {
    var byUuid = new LinkedHashMap<String, GpuInfo>();
    for (GpuInfo g : fresh) {
      if (config.filterDevices().excludes(g.uuid(), Integer.toString(g.index()))) {
        continue;
      }
      if (!g.healthy()) {
        unhealthy.add(g.uuid());
      }
      byUuid.put(g.uuid(), g.withHealthy(!unhealthy.contains(g.uuid())));
    }
    gpus = Collections.unmodifiableMap(byUuid);
    var next = ListAndWatchResponse.newBuilder();
    for (GpuInfo g : byUuid.values()) {
      for (String id : DeviceIds.advertised(g.uuid(), config.deviceSplitCount())) {
        var d = Device.newBuilder().setID(id).setHealth(g.healthy() ? HEALTHY : UNHEALTHY);
        if (config.enableNumaTopology() && g.numa().isPresent()) {
          d.setTopology(
              TopologyInfo.newBuilder().addNodes(NUMANode.newBuilder().setID(g.numa().getAsInt())));
        }
        next.addDevices(d);
      }
    }
    var built = next.build();
    if (built.equals(current)) {
      return false;
    }
    current = built;
    for (var it = watchers.iterator(); it.hasNext(); ) {
      var w = it.next();
      try {
        w.onNext(built);
      } catch (RuntimeException e) {
        // The stream is gone (kubelet went away); it unsubscribes itself too, this is a backstop.
        it.remove();
      }
    }
    return true;
  }

  /** Sends the current list to {@code watcher}, then every change until it is removed. */
  synchronized void watch(StreamObserver<ListAndWatchResponse> watcher) {
    watcher.onNext(current);
    watchers.add(watcher);
  }

  synchronized void unwatch(StreamObserver<ListAndWatchResponse> watcher) {
    watchers.remove(watcher);
  }

  /** Ends every ListAndWatch stream, as on shutdown. */
  synchronized void closeAll() {
    for (var w : watchers) {
      try {
        w.onCompleted();
      } catch (RuntimeException e) {
        // Already cancelled by the client.
      }
    }
    watchers.clear();
  }

  synchronized ListAndWatchResponse current() {
    return current;
  }

  synchronized List<GpuInfo> gpus() {
    return List.copyOf(gpus.values());
  }

  synchronized Optional<GpuInfo> gpu(String uuid) {
    return Optional.ofNullable(gpus.get(uuid));
  }
}
