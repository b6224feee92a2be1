package dev.tessera.sim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Pod objects as kube-scheduler sends them to the extender. */
public final class BenchPods {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchPods() {}

  /** A pending pod asking one GPU share: {@code memMiB} MiB and {@code cores} % cores. */
  public static ObjectNode pod(String name, int memMiB, int cores) {
    ObjectNode p = JSON.createObjectNode();
    ObjectNode meta = p.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", "bench");
    meta.put("uid", "uid-" + name);
    ObjectNode c = p.putObject("spec").putArray("containers").addObject();
    c.put("name", "main");
    ObjectNode limits = c.putObject("resources").putObject("limits");
    limits.put("nvidia.com/gpu", "1");
    limits.put("nvidia.com/gpumem", Integer.toString(memMiB));
    limits.put("nvidia.com/gpucores", Integer.toString(cores));
    p.putObject("status").put("phase", "Pending");
    return p;
  }
}
