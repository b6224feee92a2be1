package dev.tessera.sim.output;

import dev.tessera.sim.run.PodClass;
import dev.tessera.sim.run.PolicyRun;
import dev.tessera.sim.run.SimEvent;
import dev.tessera.sim.run.SimulationResult;
import java.util.ArrayList;
import java.util.List;

/** Synthetic simulation results with known totals, for the writer tests. */
final class SimResults {
  private SimResults() {}

  /**
   * An arrivals-mode run on {@code gpus} GPUs: {@code n} arrivals of 100 milli each; the first
   * {@code placedUpTo} are placed, the rest dropped; fragmentation grows by {@code frag} per event.
   */
  static PolicyRun arrivals(String policy, int gpus, int n, int placedUpTo, double frag) {
    List<SimEvent> events = new ArrayList<>();
    long arrived = 0;
    long allocated = 0;
    for (int i = 0; i < n; i++) {
      arrived += 100;
      boolean placed = i < placedUpTo;
      if (placed) {
        allocated += 100;
      }
      long cap = 1000L * gpus;
      events.add(
          new SimEvent(
              i,
              i,
              placed ? SimEvent.Kind.PLACED : SimEvent.Kind.DROPPED,
              "pod-" + i,
              i % 3 == 0 ? PodClass.CPU_ONLY : PodClass.SHARING,
              placed ? "node-" + (i % 4) : "",
              placed ? "0" : "",
              arrived,
              allocated,
              frag * i,
              cap - allocated,
              (int) ((cap - allocated) / 1000),
              new int[PodClass.values().length],
              0));
    }
    return new PolicyRun(policy, 42, gpus, events, 1234);
  }

  /**
   * A timed run: pod a placed at 0, pod b queued at 1 and placed at 5 (waited 4 s) when a departs,
   * pod c (2 GPUs) queued at 2 and still pending at the end.
   */
  static PolicyRun timed(String policy) {
    int k = PodClass.values().length;
    int[] none = new int[k];
    int[] oneSharing = new int[k];
    oneSharing[PodClass.SHARING.ordinal()] = 1;
    int[] sharingAnd2 = oneSharing.clone();
    sharingAnd2[PodClass.GPU_2.ordinal()] = 1;
    int[] only2 = new int[k];
    only2[PodClass.GPU_2.ordinal()] = 1;
    List<SimEvent> e =
        List.of(
            ev(0, 0, SimEvent.Kind.PLACED, "a", PodClass.GPU_1, 1000, 1000, none, 0),
            ev(1, 1, SimEvent.Kind.QUEUED, "b", PodClass.SHARING, 1500, 1000, oneSharing, 0),
            ev(2, 2, SimEvent.Kind.QUEUED, "c", PodClass.GPU_2, 3500, 1000, sharingAnd2, 0),
            ev(3, 5, SimEvent.Kind.DEPARTED, "a", PodClass.GPU_1, 3500, 0, sharingAnd2, 0),
            ev(4, 5, SimEvent.Kind.PLACED, "b", PodClass.SHARING, 3500, 500, only2, 4),
            ev(5, 6, SimEvent.Kind.QUEUED, "c", PodClass.GPU_2, 3500, 500, only2, 0));
    return new PolicyRun(policy, 7, 1, e, 5);
  }

  private static SimEvent ev(
      long seq,
      double t,
      SimEvent.Kind kind,
      String pod,
      PodClass c,
      long arrived,
      long allocated,
      int[] pending,
      double wait) {
    return new SimEvent(
        seq,
        t,
        kind,
        pod,
        c,
        kind == SimEvent.Kind.QUEUED ? "" : "n1",
        kind == SimEvent.Kind.QUEUED ? "" : "0",
        arrived,
        allocated,
        0,
        1000 - allocated,
        allocated == 0 ? 1 : 0,
        pending,
        wait);
  }

  static SimulationResult arrivalsResult() {
    return new SimulationResult(
        "traces/openb/x.csv",
        "arrivals",
        List.of(
            arrivals("fgd", 10, 130, 120, 1.0),
            arrivals("bestfit", 10, 130, 110, 2.0),
            arrivals("policies/my <odd>.drl", 10, 130, 100, 3.0)),
        2);
  }
}
