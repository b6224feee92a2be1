package dev.tessera.sim.run;

/**
 * Cluster state right after one event of one policy run. GPU amounts are in milli-GPU (1000 = one
 * whole GPU), so sharing pods count exactly.
 *
 * @param seq event number, 0-based, in processing order
 * @param time trace time of the event in seconds ({@code arrivals} mode: the arrival index)
 * @param kind what happened
 * @param pod the pod's name in the trace
 * @param podClass the pod's class
 * @param node node the pod was placed on or left; {@code ""} when none
 * @param gpus GPU indices on {@code node} the pod got, e.g. {@code "0,3"}; {@code ""} when none
 * @param arrivedMilli GPU demand of every pod that arrived so far, placed or not
 * @param allocatedMilli GPU milli allocated on all nodes now
 * @param fragMilli FGD fragmentation amount of the cluster now (policies.md §6.2), milli-GPU
 * @param idleMilli idle GPU milli of the cluster now (all fragmentation buckets)
 * @param fullyIdleGpus GPUs with nothing allocated on them
 * @param pendingByClass pods waiting in the queue now, indexed by {@link PodClass#ordinal()}
 *     ({@code arrivals} mode never queues: all zero)
 * @param waitSeconds for {@code PLACED} after queueing: seconds the pod waited, else 0
 */
public record SimEvent(
    long seq,
    double time,
    Kind kind,
    String pod,
    PodClass podClass,
    String node,
    String gpus,
    long arrivedMilli,
    long allocatedMilli,
    double fragMilli,
    double idleMilli,
    int fullyIdleGpus,
    int[] pendingByClass,
    double waitSeconds) {

  /** The kinds of event. */
  public enum Kind {
    /** The pod arrived and was placed. */
    PLACED,
    /** The pod arrived and fits nowhere; {@code arrivals} mode drops it. */
    DROPPED,
    /** The pod arrived (or was retried) and waits in the queue ({@code timed} mode). */
    QUEUED,
    /** The pod finished and released its resources. */
    DEPARTED
  }

  public SimEvent {
    pendingByClass = pendingByClass.clone();
  }

  @Override
  public int[] pendingByClass() {
    return pendingByClass.clone();
  }
}
