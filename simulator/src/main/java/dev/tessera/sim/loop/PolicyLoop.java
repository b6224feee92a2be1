package dev.tessera.sim.loop;

import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.features.FgdPod;
import dev.tessera.engine.features.Fragmentation;
import dev.tessera.engine.fit.NodeEvaluator;
import dev.tessera.engine.fit.PodPlan;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.DeviceUsage;
import dev.tessera.engine.model.Node;
import dev.tessera.engine.model.Placement;
import dev.tessera.engine.snapshot.ClusterSnapshot;
import dev.tessera.policies.drl.PolicyScorer;
import dev.tessera.policies.drl.Ranking;
import dev.tessera.policies.drl.ScoreBreakdown;
import dev.tessera.policies.facts.FeatureExtractor;
import dev.tessera.policies.facts.FgdFeatures;
import dev.tessera.policies.facts.FgdFit;
import dev.tessera.policies.facts.FgdNodeState;
import dev.tessera.policies.facts.HostFree;
import dev.tessera.policies.facts.ScoringRequest;
import dev.tessera.sim.run.PodClass;
import dev.tessera.sim.run.PolicyRun;
import dev.tessera.sim.run.SimEvent;
import dev.tessera.sim.trace.TraceNode;
import dev.tessera.sim.trace.TracePod;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * One policy's run over a trace, every decision through the live extender's path: kube-scheduler's
 * host filter (emulated here: CPU, memory and pod count per node), the engine's fit for the GPUs
 * ({@link FeatureExtractor#fgd}), the compiled DRL policy over the nodes that fit, and the engine's
 * fit again to book the GPUs the policy's {@code DevicePick} chose. The cluster is a {@link
 * ClusterSnapshot}: a placement is assumed, a departure forgotten.
 *
 * <p>Per node, the FGD features of a pod shape are computed once per node state and reused until a
 * pod lands on or leaves the node. Not thread-safe: one instance per run, one thread.
 */
public final class PolicyLoop {
  /** Pods a node admits (kube-scheduler's allocatable pod count); the openb traces use 1001. */
  public static final int DEFAULT_MAX_PODS = 1001;

  private final String policyName;
  private final PolicyScorer scorer;
  private final Fragmentation frag;
  private final long seed;
  private final Random rng;
  private final int maxPods;
  private final int n;
  private final String[] names;
  private final Node[] engineNodes;
  private final Map<String, Integer> index;
  private final long[] cpuLeft;
  private final long[] memLeft;
  private final int[] podCount;
  private final long[] capacityMilli;
  private final int[] gpuMemory;
  private final FgdNodeState[] states;
  // fits[shape id][i]: node i's fit and scores for a shape, dropped when node i changes; verdict
  // mirrors fits() as 0 unknown / 1 fits / 2 does not, shape-major so one decision scans one
  // contiguous array instead of chasing a pointer per node
  private FgdFit[][] fits = new FgdFit[16][];
  private byte[][] verdict = new byte[16][];
  private static final byte UNKNOWN = 0;
  private static final byte FITS = 1;
  private static final byte NO_FIT = 2;
  // what node i's scores depend on, to send one node per set of identical ones (see collapse)
  private final int[] content;
  private final boolean collapseIdentical;
  private final HashMap<ContentKey, Integer> contentIds = new HashMap<>();
  // seenAt[content id] == decisions: a node with that content is already a candidate
  private int[] seenAt = new int[64];
  private int decisions;
  private final double[] fragOf;
  private final double[] idleOf;
  private final int[] fullyIdleOf;
  private final int totalGpus;
  private final Map<ShapeKey, Shape> shapes = new HashMap<>();
  private final int[] fittingBuffer;
  private ClusterSnapshot snapshot;
  private long allocatedMilli;
  private int fullyIdle;

  /** A pod's request shape: what fit and scores depend on (not its name or times). */
  private record ShapeKey(
      long cpu, long mem, int gpus, int memMiB, int memPercent, int cores, String type) {
    static ShapeKey of(TracePod p) {
      return new ShapeKey(
          p.cpuMilli(),
          p.memoryMiB(),
          p.gpuCount(),
          p.gpuMemoryMiB(),
          p.gpuMemoryPercent(),
          p.gpuMilli(),
          p.gpuType());
    }
  }

  /**
   * Everything prepared once per shape: FGD shape, engine plan and the rules' request fact. A
   * request in MiB books a different share on GPUs of different memory, so its FGD shape is made
   * per GPU memory size ({@code bySize}); a request in percent has one shape everywhere.
   */
  private record Shape(
      int id,
      TracePod pod,
      FgdPod fgd,
      PodPlan plan,
      ScoringRequest request,
      Map<Integer, FgdPod> bySize) {
    FgdPod on(int gpuMemoryMiB) {
      if (pod.gpuMemoryMiB() == 0) {
        return fgd;
      }
      return bySize.computeIfAbsent(gpuMemoryMiB, m -> EngineMapping.shapeOn(pod, m));
    }
  }

  /**
   * Everything a built-in FGD-paper score of a node reads (model and GPU memory, CPU left, idle per
   * GPU, GPU tags as a set): two nodes with equal keys get equal scores from every built-in
   * deterministic policy.
   */
  private static final class ContentKey {
    private final String model;
    private final int gpuMemory;
    private final long cpuLeft;
    private final int[] idle;
    private final List<String> tags;
    private final int hash;

    ContentKey(FgdNodeState s, int gpuMemory) {
      model = s.model();
      this.gpuMemory = gpuMemory;
      cpuLeft = s.cpuLeft();
      idle = s.idle();
      var t = new ArrayList<>(s.tags());
      java.util.Collections.sort(t);
      tags = t;
      hash =
          (((model.hashCode() * 31 + gpuMemory) * 31 + Long.hashCode(cpuLeft)) * 31
                      + Arrays.hashCode(idle))
                  * 31
              + tags.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ContentKey k
          && hash == k.hash
          && cpuLeft == k.cpuLeft
          && gpuMemory == k.gpuMemory
          && model.equals(k.model)
          && Arrays.equals(idle, k.idle)
          && tags.equals(k.tags);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * A run of {@code scorer}'s policy over {@code nodesByRank} (score ties go to the earlier node),
   * with fragmentation against {@code frag}'s target workload.
   *
   * @param seed seeds the run's generator (Random's draws and its GPU pick)
   * @param collapseIdentical send the policy only the first (best-ranked) of nodes whose FGD
   *     features are identical, plus the node Random's draw picked; only for policies whose rules
   *     read nothing but those scores and the draw (the built-ins), where it cannot change the
   *     winner: equal features give equal totals, ties go to the earlier node anyway, and the drawn
   *     node (drawn among all fitting nodes) is always sent
   */
  public PolicyLoop(
      String policyName,
      PolicyScorer scorer,
      List<TraceNode> nodesByRank,
      Fragmentation frag,
      long seed,
      int maxPods,
      boolean collapseIdentical) {
    this.collapseIdentical = collapseIdentical;
    this.policyName = policyName;
    this.scorer = scorer;
    this.frag = frag;
    this.seed = seed;
    this.rng = new Random(seed);
    this.maxPods = maxPods;
    n = nodesByRank.size();
    names = new String[n];
    engineNodes = new Node[n];
    index = new HashMap<>(n * 2);
    cpuLeft = new long[n];
    memLeft = new long[n];
    podCount = new int[n];
    capacityMilli = new long[n];
    gpuMemory = new int[n];
    states = new FgdNodeState[n];
    content = new int[n];
    fittingBuffer = new int[n];
    fragOf = new double[n];
    idleOf = new double[n];
    fullyIdleOf = new int[n];
    int gpus = 0;
    List<Node> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      TraceNode t = nodesByRank.get(i);
      names[i] = t.name();
      engineNodes[i] = EngineMapping.node(t);
      list.add(engineNodes[i]);
      if (index.put(t.name(), i) != null) {
        throw new IllegalArgumentException("node " + t.name() + " appears twice in the trace");
      }
      cpuLeft[i] = t.cpuMilli();
      memLeft[i] = t.memoryMiB();
      capacityMilli[i] = 1000L * t.gpuCount();
      gpuMemory[i] = t.gpuMemoryMiB();
      gpus += t.gpuCount();
    }
    totalGpus = gpus;
    snapshot = ClusterSnapshot.of(list, List.of());
    for (int i = 0; i < n; i++) {
      refresh(i);
    }
  }

  /** GPUs in the cluster. */
  public int totalGpus() {
    return totalGpus;
  }

  /**
   * The FGD experiment (policies.md §2): {@code arrivals} in order, nothing departs, a pod that
   * fits nowhere is dropped. Event time = position in the sequence.
   */
  public PolicyRun runArrivals(List<TracePod> arrivals) {
    return runArrivals(arrivals, RunProgress.NONE);
  }

  /** {@link #runArrivals(List)}, advancing {@code progress} once per arrival. */
  public PolicyRun runArrivals(List<TracePod> arrivals, RunProgress progress) {
    long t0 = System.nanoTime();
    var events = new ArrayList<SimEvent>(arrivals.size());
    long arrived = 0;
    int[] noPending = new int[PodClass.values().length];
    for (int e = 0; e < arrivals.size(); e++) {
      TracePod pod = arrivals.get(e);
      arrived += pod.gpuDemandMilli();
      Placed placed = place(pod);
      events.add(event(e, e, pod, placed, arrived, noPending, 0));
      progress.advance();
    }
    progress.finish();
    return new PolicyRun(policyName, seed, totalGpus, events, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Events in time order: arrivals at {@code createdAt}, departures of placed pods after their run
   * time ({@code deletedAt − createdAt}, counted from placement). A pod that fits nowhere waits in
   * a FIFO queue; after every departure the queue is walked in arrival order and every pod that now
   * fits is placed (a pod that still does not fit does not block those behind it). Departures at
   * the same time as an arrival are processed first. Pods still waiting at the end stay pending.
   */
  public PolicyRun runTimed(List<TracePod> pods) {
    return runTimed(pods, RunProgress.NONE);
  }

  /** {@link #runTimed(List)}, advancing {@code progress} once per arrival. */
  public PolicyRun runTimed(List<TracePod> pods, RunProgress progress) {
    long t0 = System.nanoTime();
    List<TracePod> byTime = new ArrayList<>(pods);
    byTime.sort(Comparator.comparingDouble(TracePod::createdAt)); // stable: file order on ties
    var departures =
        new PriorityQueue<Departure>(
            Comparator.comparingDouble(Departure::time).thenComparingLong(Departure::order));
    var queue = new ArrayDeque<TracePod>();
    int[] pending = new int[PodClass.values().length];
    var events = new ArrayList<SimEvent>(pods.size() * 2);
    long arrived = 0;
    long order = 0;
    int next = 0;
    while (next < byTime.size() || !departures.isEmpty()) {
      boolean departureFirst =
          !departures.isEmpty()
              && (next >= byTime.size()
                  || departures.peek().time() <= byTime.get(next).createdAt());
      if (departureFirst) {
        Departure d = departures.poll();
        int i = depart(d.pod());
        events.add(
            event(
                events.size(),
                d.time(),
                SimEvent.Kind.DEPARTED,
                d.pod(),
                names[i],
                "",
                arrived,
                pending,
                0));
        for (Iterator<TracePod> it = queue.iterator(); it.hasNext(); ) {
          TracePod q = it.next();
          Placed placed = place(q);
          if (placed != null) {
            it.remove();
            pending[classOf(q).ordinal()]--;
            double wait = d.time() - q.createdAt();
            events.add(event(events.size(), d.time(), q, placed, arrived, pending, wait));
            leaveLater(departures, q, d.time(), order++);
          }
        }
        continue;
      }
      TracePod pod = byTime.get(next++);
      progress.advance();
      arrived += pod.gpuDemandMilli();
      Placed placed = place(pod);
      if (placed == null) {
        queue.add(pod);
        pending[classOf(pod).ordinal()]++;
        events.add(
            event(
                events.size(),
                pod.createdAt(),
                SimEvent.Kind.QUEUED,
                pod,
                "",
                "",
                arrived,
                pending,
                0));
        continue;
      }
      events.add(event(events.size(), pod.createdAt(), pod, placed, arrived, pending, 0));
      leaveLater(departures, pod, pod.createdAt(), order++);
    }
    progress.finish();
    return new PolicyRun(policyName, seed, totalGpus, events, (System.nanoTime() - t0) / 1_000_000);
  }

  private record Departure(double time, long order, TracePod pod) {}

  /** Schedules {@code pod}'s departure its run time after {@code placedAt}, if it ever leaves. */
  private static void leaveLater(
      PriorityQueue<Departure> departures, TracePod pod, double placedAt, long order) {
    if (pod.deletedAt() >= 0) {
      double runTime = Math.max(0, pod.deletedAt() - pod.createdAt());
      departures.add(new Departure(placedAt + runTime, order, pod));
    }
  }

  /**
   * The placement ({@code placed}) or drop (null) of {@code pod}, with the cluster as it is now.
   */
  private SimEvent event(
      long seq,
      double time,
      TracePod pod,
      Placed placed,
      long arrived,
      int[] pending,
      double wait) {
    return placed == null
        ? event(seq, time, SimEvent.Kind.DROPPED, pod, "", "", arrived, pending, wait)
        : event(
            seq,
            time,
            SimEvent.Kind.PLACED,
            pod,
            names[placed.node()],
            placed.gpus(),
            arrived,
            pending,
            wait);
  }

  /** An event of {@code kind} for {@code pod}, with the cluster's metrics as they are now. */
  private SimEvent event(
      long seq,
      double time,
      SimEvent.Kind kind,
      TracePod pod,
      String node,
      String gpus,
      long arrived,
      int[] pending,
      double wait) {
    return new SimEvent(
        seq,
        time,
        kind,
        pod.name(),
        classOf(pod),
        node,
        gpus,
        arrived,
        allocatedMilli,
        fragSum(),
        idleSum(),
        fullyIdle,
        pending,
        wait);
  }

  private static PodClass classOf(TracePod p) {
    return PodClass.of(p.gpuCount(), p.gpuMilli());
  }

  // Cluster sums in rank order, as the reference oracle sums them.
  private double fragSum() {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += fragOf[i];
    }
    return s;
  }

  private double idleSum() {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += idleOf[i];
    }
    return s;
  }

  private record Placed(int node, String gpus) {}

  private final Map<String, Integer> placedOn = new HashMap<>();

  /** Decides and books {@code pod}; null when no node passes the filter and the fit. */
  private Placed place(TracePod pod) {
    Shape shape = shapes.get(ShapeKey.of(pod));
    if (shape == null) {
      shape = prepare(pod, shapes.size());
      shapes.put(ShapeKey.of(pod), shape);
      if (shape.id() >= fits.length) {
        fits = Arrays.copyOf(fits, fits.length * 2);
        verdict = Arrays.copyOf(verdict, verdict.length * 2);
      }
      fits[shape.id()] = new FgdFit[n];
      verdict[shape.id()] = new byte[n];
    }
    int id = shape.id();
    int count = 0;
    decisions++;
    long cpu = pod.cpuMilli();
    long mem = pod.memoryMiB();
    List<ClusterSnapshot.NodeState> nodeStates = snapshot.nodes();
    FgdFit[] fitOf = fits[id];
    byte[] verdictOf = verdict[id];
    int[] fitting = fittingBuffer;
    for (int i = 0; i < n; i++) {
      // kube-scheduler's NodeResourcesFit: only nodes that pass reach the extender
      if (cpu > cpuLeft[i] || mem > memLeft[i] || podCount[i] + 1 > maxPods) {
        continue;
      }
      byte v = verdictOf[i];
      if (v == UNKNOWN) {
        ClusterSnapshot.NodeState s = nodeStates.get(i);
        FgdFit f =
            FeatureExtractor.fgd(
                shape.plan(), shape.on(gpuMemory[i]), states[i], engineNodes[i], s.usage());
        fitOf[i] = f;
        v = f.fits() ? FITS : NO_FIT;
        verdictOf[i] = v;
      }
      if (v == FITS) {
        fitting[count++] = i;
      }
    }
    if (count == 0) {
      return null;
    }
    // Random's PreScore draw (§5.1) over every node that fits, only when there is a choice
    int drawnNode = fitting[count >= 2 ? rng.nextInt(count) : 0];
    var facts = new ArrayList<FgdFeatures>(collapseIdentical ? 64 : count);
    for (int c = 0; c < count; c++) {
      int i = fitting[c];
      // the drawn node always goes; of identical others only the best-ranked (see the constructor)
      if (collapseIdentical && i != drawnNode) {
        if (seenAt[content[i]] == decisions) {
          continue;
        }
        seenAt[content[i]] = decisions;
      }
      facts.add(new FgdFeatures(fitOf[i], i == drawnNode));
    }
    Ranking ranking = scorer.score(shape.request(), facts);
    Optional<ScoreBreakdown> best = ranking.best();
    if (best.isEmpty()) {
      return null; // every node that fits was vetoed by the policy
    }
    String nodeName = best.get().node();
    int i = index.get(nodeName);
    FgdFit chosen = fits[id][i];
    List<List<ContainerDevice>> containers =
        book(pod, shape, chosen, ranking.devicePick(nodeName), i);
    String key = EngineMapping.podKey(pod);
    snapshot = snapshot.assume(new Placement(key, "", nodeName, 0, containers));
    placedOn.put(key, i);
    cpuLeft[i] -= pod.cpuMilli();
    memLeft[i] -= pod.memoryMiB();
    podCount[i]++;
    refresh(i);
    var gpus = new StringBuilder();
    for (List<ContainerDevice> c : containers) {
      for (ContainerDevice d : c) {
        if (gpus.length() > 0) {
          gpus.append(',');
        }
        gpus.append(d.index());
      }
    }
    return new Placed(i, gpus.toString());
  }

  /**
   * The devices the pod gets on node {@code i}: the policy's selector names the GPUs, and the
   * engine's fit, pinned to them with {@code nvidia.com/use-gpuuuid}, validates and books them.
   * Without a selector, or when the FGD view finds no GPU on a node the engine's fit accepts, the
   * engine's own device order decides. The FGD view never picks a GPU the fit rejects: a GPU's idle
   * share is at most both its free core and free memory share ({@code FgdShares}), and the pod's
   * share at least both of its own. It can find none where the fit finds one, when a pod's core and
   * memory shares differ (a GPU with 40 % cores and 90 % memory free is 400 idle, too little for a
   * pod of 30 % cores and 60 % memory that HAMi fits).
   */
  private List<List<ContainerDevice>> book(
      TracePod pod, Shape shape, FgdFit fit, Optional<String> selector, int i) {
    if (pod.gpuCount() == 0) {
      return List.of(List.of());
    }
    PodPlan plan = shape.plan();
    int[] gpus = selector.isPresent() ? fit.gpus(selector.get(), rng) : new int[0];
    if (gpus.length > 0) {
      var uuids = new StringBuilder();
      for (int j : gpus) {
        if (uuids.length() > 0) {
          uuids.append(',');
        }
        uuids.append(fit.state().uuid(j));
      }
      plan =
          PodPlan.of(
              EngineMapping.pod(pod, Map.of(Annotations.USE_GPU_UUID, uuids.toString())),
              Engine.Options.DEFAULTS.defaultGpuPolicy(),
              null);
    }
    List<DeviceUsage> usage = snapshot.nodes().get(i).usage();
    NodeEvaluator.Outcome outcome = NodeEvaluator.evaluate(plan, engineNodes[i], usage);
    if (outcome instanceof NodeEvaluator.Placed placed) {
      return placed.containers();
    }
    throw new IllegalStateException(
        "policy "
            + policyName
            + " chose GPUs on node "
            + names[i]
            + " for pod "
            + pod.name()
            + " that the engine's fit rejects: "
            + ((NodeEvaluator.Rejected) outcome).reason());
  }

  /** Releases a departing pod; returns its node index. */
  private int depart(TracePod pod) {
    String key = EngineMapping.podKey(pod);
    Integer i = placedOn.remove(key);
    if (i == null) {
      throw new IllegalStateException("pod " + pod.name() + " departs but is not placed");
    }
    snapshot = snapshot.forget(key);
    cpuLeft[i] += pod.cpuMilli();
    memLeft[i] += pod.memoryMiB();
    podCount[i]--;
    refresh(i);
    return i;
  }

  private Shape prepare(TracePod pod, int id) {
    FgdPod fgd = EngineMapping.shape(pod);
    var request = EngineMapping.pod(pod, Map.of());
    PodPlan plan = PodPlan.of(request, Engine.Options.DEFAULTS.defaultGpuPolicy(), null);
    return new Shape(id, pod, fgd, plan, ScoringRequest.of(request), new HashMap<>());
  }

  /** Recomputes node {@code i}'s FGD state and metrics after its pods changed. */
  private void refresh(int i) {
    ClusterSnapshot.NodeState s = snapshot.nodes().get(i);
    FgdNodeState old = states[i];
    FgdNodeState st =
        FgdNodeState.of(
            names[i], s.usage(), s.pods(), new HostFree(cpuLeft[i], memLeft[i], podCount[i]), frag);
    states[i] = st;
    for (int k = 0; k < shapes.size(); k++) {
      fits[k][i] = null;
      verdict[k][i] = UNKNOWN;
    }
    if (collapseIdentical) {
      content[i] =
          contentIds.computeIfAbsent(new ContentKey(st, gpuMemory[i]), k -> contentIds.size());
      if (content[i] >= seenAt.length) {
        seenAt = Arrays.copyOf(seenAt, seenAt.length * 2);
      }
    }
    double[] b = st.fragBuckets();
    fragOf[i] = Fragmentation.fragOf(b);
    idleOf[i] = Fragmentation.idleOf(b);
    if (old != null) {
      allocatedMilli -= capacityMilli[i] - old.idleTotal();
      fullyIdle -= fullyIdleOf[i];
    }
    allocatedMilli += capacityMilli[i] - st.idleTotal();
    fullyIdleOf[i] = st.fullyIdle();
    fullyIdle += fullyIdleOf[i];
  }
}
