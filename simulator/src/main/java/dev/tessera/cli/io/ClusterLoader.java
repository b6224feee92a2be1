package dev.tessera.cli.io;

import dev.tessera.engine.codec.AnnotationDecodeException;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.NodeRegisterCodec;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.fit.DeviceFit;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.PairScores;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

/** Turns a {@link ClusterFile} into the engine's {@link ClusterSnapshot}. */
public final class ClusterLoader {
  private ClusterLoader() {}

  /**
   * Loads {@code file}; annotation values are decoded with the HAMi codecs, errors name the field.
   */
  public static ClusterSnapshot load(Path file) {
    ClusterFile c = ClusterFile.load(file);
    var nodes = new ArrayList<Node>();
    for (int i = 0; i < c.nodes().size(); i++) {
      var n = c.nodes().get(i);
      Map<String, String> ann = n.annotations() == null ? Map.of() : n.annotations();
      var devices = ClusterFile.devices(n);
      PairScores pairs = PairScores.NONE;
      if (devices.isEmpty() && ann.containsKey(Annotations.NODE_REGISTER)) {
        try {
          var nd = NodeRegisterCodec.nodeDevices(ann);
          devices = nd.devices();
          pairs = nd.pairScores();
        } catch (AnnotationDecodeException e) {
          throw new InputFileException(
              file, "", "field nodes[" + i + "].annotations: " + e.getMessage(), e);
        }
      }
      var cordoned = DeviceFit.parseCordon(ann.getOrDefault(Annotations.DEVICE_CORDON, ""));
      nodes.add(
          new Node(
              n.name(),
              n.labels(),
              n.cpuMilli() == null ? 0 : n.cpuMilli(),
              n.memoryMiB() == null ? 0 : n.memoryMiB(),
              devices,
              pairs,
              cordoned));
    }
    var running = new ArrayList<Placement>();
    for (int i = 0; i < c.pods().size(); i++) {
      var p = c.pods().get(i);
      String ns = p.namespace() == null ? "default" : p.namespace();
      try {
        running.add(
            new Placement(
                ns + "/" + p.name(),
                p.uid() == null ? "" : p.uid(),
                p.node(),
                p.initContainers() == null ? 0 : p.initContainers(),
                PodDevicesCodec.decode(Annotations.DEVICES_ALLOCATED, p.allocated())));
      } catch (AnnotationDecodeException e) {
        throw new InputFileException(
            file, "", "field pods[" + i + "].allocated: " + e.getMessage(), e);
      }
    }
    try {
      return ClusterSnapshot.of(nodes, running);
    } catch (IllegalArgumentException e) {
      throw new InputFileException(file, "", e.getMessage(), e);
    }
  }
}
