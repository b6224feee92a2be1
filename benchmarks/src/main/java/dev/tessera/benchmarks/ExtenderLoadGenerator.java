package dev.tessera.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.engine.codec.Annotations;
import dev.tessera.engine.codec.PodDevicesCodec;
import dev.tessera.engine.config.DeviceConfig;
import dev.tessera.engine.decision.Engine;
import dev.tessera.engine.model.ContainerDevice;
import dev.tessera.engine.model.GpuDevice;
import dev.tessera.extender.core.EngineRanking;
import dev.tessera.extender.http.TransportSettings;
import dev.tessera.extender.server.ExtenderServer;
import dev.tessera.extender.state.InMemoryCluster;
import dev.tessera.extender.wire.ExtenderArgs;
import dev.tessera.extender.wire.ExtenderBindingArgs;
import dev.tessera.extender.wire.ExtenderBindingResult;
import dev.tessera.extender.wire.ExtenderFilterResult;
import dev.tessera.extender.wire.HostPriority;
import dev.tessera.extender.wire.KubePod;
import dev.tessera.extender.wire.WireJson;
import dev.tessera.sim.bench.BenchCluster;
import dev.tessera.sim.bench.BenchPods;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * HTTP load generator for the extender: starts {@code tessera extender}'s server in-process on the
 * seeded {@link BenchCluster} and drives it over loopback HTTP the way kube-scheduler does.
 *
 * <ol>
 *   <li>Throughput: {@code --pods} pods, {@code --clients} concurrent scheduling loops, each pod
 *       filter (all nodes) → prioritize (the feasible ones) → bind (a top-scored node, random among
 *       ties); a refused bind is retried from filter. Reports pods/s and per-verb latency.
 *   <li>Job: {@code --job} pods scheduled like kube-scheduler does: one scheduling loop (filter,
 *       prioritize, choose) with the binds running asynchronously; reports the time until every pod
 *       is bound.
 * </ol>
 *
 * After each part the outcome is re-checked from what the extender's binder wrote: every pod bound
 * exactly once and no GPU over-committed once the seeded usage is added back.
 *
 * <p>{@code --client lean} (the default) talks to the extender like kube-scheduler's Go client does
 * ({@link LeanExtenderClient}: HTTP/1.1 keep-alive sockets, pre-encoded bodies, answers scanned
 * only for names, scores and errors), so that the client's own CPU does not hide the extender's
 * throughput on a 2-core machine; {@code --client jdk} is the earlier {@code java.net.http} client
 * with Jackson on both sides, kept for comparison.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.tessera.benchmarks.ExtenderLoadGenerator --nodes 1000 --pods 2000 --clients 4 --job 40
 * --transport netty [--client lean|jdk] [--shapes 1|N] [--offer all|kube-scheduler] [--warmup
 * PODS]}; {@code --warmup} (default 2,000) first runs the same throughput part unreported on its
 * own cluster, so the figures are those of a warmed-up extender rather than of the JIT compiler.
 */
public final class ExtenderLoadGenerator {
  private final WireJson wire = new WireJson();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final int nodes;
  private final ExtenderServer.Transport transport;
  private final int workers;
  private final boolean lean;

  /**
   * Offer every node on every filter (false: kube-scheduler's default sample, see {@link #offer}).
   */
  private final boolean offerAll;

  /** The cluster's node names, in snapshot order; set by {@link #start}. */
  private List<String> allNames;

  private final java.util.Map<String, byte[]> encodedWindows =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** kube-scheduler's {@code nextStartNodeIndex}: where the next pod's node search starts. */
  private final java.util.concurrent.atomic.AtomicInteger nextStart =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The lean client of the running server, when {@code --client lean}; set by {@link #start}. */
  private LeanExtenderClient leanClient;

  private ExtenderLoadGenerator(
      int nodes, ExtenderServer.Transport transport, int workers, boolean lean, boolean offerAll) {
    this.nodes = nodes;
    this.transport = transport;
    this.workers = workers;
    this.lean = lean;
    this.offerAll = offerAll;
  }

  public static void main(String[] args) throws Exception {
    int nodes = 1000;
    int pods = 2000;
    int clients = 4;
    int job = 40;
    int workers = 4;
    int shapes = 1;
    int warmup = 2000;
    String offer = "all";
    var transport = ExtenderServer.Transport.NETTY;
    String client = "lean";
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(v);
        case "--pods" -> pods = Integer.parseInt(v);
        case "--clients" -> clients = Integer.parseInt(v);
        case "--job" -> job = Integer.parseInt(v);
        case "--workers" -> workers = Integer.parseInt(v);
        case "--transport" -> transport = ExtenderServer.Transport.parse(v);
        case "--client" -> client = v;
        case "--shapes" -> shapes = Integer.parseInt(v);
        case "--offer" -> offer = v;
        case "--warmup" -> warmup = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!client.equals("lean") && !client.equals("jdk")) {
      throw new IllegalArgumentException("--client: expected lean or jdk, got " + client);
    }
    if (!offer.equals("all") && !offer.equals("kube-scheduler")) {
      throw new IllegalArgumentException("--offer: expected all or kube-scheduler, got " + offer);
    }
    var gen =
        new ExtenderLoadGenerator(
            nodes, transport, workers, client.equals("lean"), offer.equals("all"));
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "extender load: %d nodes x %d GPUs, http=%s, client=%s, server workers=%d, %d CPUs,"
            + " offer=%s%n",
        nodes,
        BenchCluster.GPUS_PER_NODE,
        transport.name().toLowerCase(Locale.ROOT),
        client,
        workers,
        Runtime.getRuntime().availableProcessors(),
        offer);
    gen.warmUp();
    if (warmup > 0) {
      // the same run, unreported: a long-running extender is measured with its JIT done
      gen.throughput(warmup, clients, shapes, new PrintStream(OutputStream.nullOutputStream()));
    }
    gen.throughput(pods, clients, shapes, out);
    gen.job(job, out);
  }

  private ExtenderServer start(InMemoryCluster cluster) {
    var settings =
        new ExtenderServer.Settings(
            transport,
            TransportSettings.plain("127.0.0.1", 0, workers),
            "",
            DeviceConfig.chartDefaults(),
            Engine.Options.DEFAULTS,
            Duration.ofMinutes(10),
            Duration.ofSeconds(1));
    var server =
        ExtenderServer.start(
            cluster,
            cluster,
            new EngineRanking(Engine.Options.DEFAULTS),
            settings,
            Clock.systemUTC());
    if (leanClient != null) {
      leanClient.close();
    }
    allNames = names(cluster);
    leanClient = lean ? new LeanExtenderClient("127.0.0.1", server.port(), allNames) : null;
    return server;
  }

  private void warmUp() throws Exception {
    var cluster = InMemoryCluster.serving(BenchCluster.seeded(nodes));
    var server = start(cluster);
    try {
      var names = names(cluster);
      var s = new Samples();
      for (int i = 0; i < 300; i++) {
        schedule(server.port(), new PodShape("warm-" + i, 2000, 5), names, new Random(i), s);
      }
    } finally {
      server.stop(Duration.ofSeconds(5));
    }
  }

  /**
   * {@code shapes} distinct pod shapes, cycled: 1 is a stream of identical pods (a job's replicas,
   * where the extender's equivalence cache re-evaluates only the nodes that changed); {@code shapes
   * >= pods} makes every pod unique (no evaluation reused). See {@link #shape} for how they differ.
   */
  /**
   * Shape {@code k} (0 is the 8,000 MiB / 30 % pod of the single-shape run): memory in 16 MiB steps
   * from −2,048 to +2,032 MiB around 8,000 MiB, cores from −4 to +3 % around 30 %, so 2,048
   * distinct shapes whose mean demand equals the single shape's and the cluster fills the same way.
   */
  static PodShape shape(String name, int k) {
    int mem = k % 256;
    int cores = (k / 256) % 8;
    return new PodShape(
        name, 8000 + 16 * (mem < 128 ? mem : mem - 256), 30 + (cores < 4 ? cores : cores - 8));
  }

  private void throughput(int pods, int clients, int shapes, PrintStream out) throws Exception {
    if (shapes > 2048) {
      throw new IllegalArgumentException("--shapes: at most 2048 distinct shapes, got " + shapes);
    }
    if (shapes < 1) {
      throw new IllegalArgumentException("--shapes: expected at least 1, got " + shapes);
    }
    var cluster = InMemoryCluster.serving(BenchCluster.seeded(nodes));
    var server = start(cluster);
    var names = names(cluster);
    var queue = new ConcurrentLinkedQueue<Integer>();
    for (int i = 0; i < pods; i++) {
      queue.add(i);
    }
    var samples = new ArrayList<Samples>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long cpuStart = processCpuNanos();
    long serverStart = serverCpuNanos();
    long start = System.nanoTime();
    long cpuEnd;
    long serverEnd;
    try {
      var futures = new ArrayList<Future<?>>();
      for (int c = 0; c < clients; c++) {
        var s = new Samples();
        samples.add(s);
        int seed = c;
        futures.add(
            pool.submit(
                () -> {
                  var random = new Random(seed);
                  for (Integer i = queue.poll(); i != null; i = queue.poll()) {
                    var shape = shape("p-" + i, i % shapes);
                    schedule(server.port(), shape, names, random, s);
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      // before stopping: the server's threads end with it
      cpuEnd = processCpuNanos();
      serverEnd = serverCpuNanos();
    } finally {
      pool.shutdownNow();
      server.stop(Duration.ofSeconds(5));
    }
    verify(cluster, "p-", pods, out);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuMsPerPod = (cpuEnd - cpuStart) / 1e6 / pods;
    double serverMsPerPod = (serverEnd - serverStart) / 1e6 / pods;
    var all = Samples.merge(samples);
    out.printf(
        Locale.ROOT,
        "throughput: %d pods (%d shapes), %d clients: %.1f s, %.0f pods/s"
            + " (filter+prioritize+bind), %d binds refused and retried%n",
        pods,
        Math.min(shapes, pods),
        clients,
        seconds,
        pods / seconds,
        all.refused);
    // CPU time of this process (server and clients together) per pod: what the run cost,
    // independent of how much of the machine other processes took meanwhile.
    out.printf(
        Locale.ROOT,
        "  cpu: %.2f ms per pod (server + clients) -> %.0f pods/s if the process had 2 cores to"
            + " itself%n",
        cpuMsPerPod,
        2000 / cpuMsPerPod);
    out.printf(
        Locale.ROOT,
        "  cpu: %.2f ms per pod in the extender's own threads (HTTP I/O + handlers, no GC/JIT)"
            + " -> %.0f pods/s on 2 dedicated cores%n",
        serverMsPerPod,
        2000 / serverMsPerPod);
    all.print(out);
  }

  private void job(int size, PrintStream out) throws Exception {
    var cluster = InMemoryCluster.serving(BenchCluster.seeded(nodes));
    var server = start(cluster);
    var names = names(cluster);
    var pending = new LinkedBlockingQueue<Integer>();
    for (int i = 0; i < size; i++) {
      pending.add(i);
    }
    ExecutorService binders = Executors.newFixedThreadPool(16);
    var random = new Random(7);
    var s = new Samples();
    int bound = 0;
    long start = System.nanoTime();
    try {
      var inFlight = new ArrayList<CompletableFuture<Boolean>>();
      var podOf = new ArrayList<Integer>();
      while (bound < size) {
        Integer i = pending.poll();
        if (i == null) {
          // wait for the outstanding binds; refused ones go back to the queue
          for (int k = 0; k < inFlight.size(); k++) {
            if (inFlight.get(k).get()) {
              bound++;
            } else {
              pending.add(podOf.get(k));
            }
          }
          inFlight.clear();
          podOf.clear();
          continue;
        }
        var pod = new PodShape("job-" + i, 8000, 30);
        String node = choose(server.port(), pod, names, random, s);
        int podIndex = i;
        inFlight.add(
            CompletableFuture.supplyAsync(
                () -> bind(server.port(), "job-" + podIndex, node, s).ok(), binders));
        podOf.add(i);
      }
    } finally {
      binders.shutdownNow();
      server.stop(Duration.ofSeconds(5));
    }
    double ms = (System.nanoTime() - start) / 1e6;
    verify(cluster, "job-", size, out);
    out.printf(
        Locale.ROOT,
        "job: %d pods bound in %.0f ms (one scheduling loop, asynchronous binds, %d refused)%n",
        size,
        ms,
        s.refused);
  }

  /**
   * Checks the run's outcome from what the extender's binder wrote: each of the {@code count} pods
   * named {@code prefix<i>} bound exactly once, with devices on its own node, and no GPU
   * over-committed (slots, memory, cores) once the seeded usage is added back.
   *
   * @throws IllegalStateException naming the first pod or GPU that breaks this
   */
  private void verify(InMemoryCluster cluster, String prefix, int count, PrintStream out) {
    var gpus = new HashMap<String, GpuDevice>();
    var gpuNode = new HashMap<String, String>();
    var slots = new HashMap<String, Integer>();
    var mem = new HashMap<String, Integer>();
    var cores = new HashMap<String, Integer>();
    for (var n : BenchCluster.seeded(nodes).nodes()) {
      for (var u : n.usage()) {
        String id = u.device().uuid();
        gpus.put(id, u.device());
        gpuNode.put(id, n.node().name());
        slots.put(id, u.used());
        mem.put(id, u.usedMemMiB());
        cores.put(id, u.usedCores());
      }
    }
    var seen = new HashSet<String>();
    for (KubePod p : cluster.pods()) {
      if (!p.namespace().equals("bench") || !p.name().startsWith(prefix)) {
        continue;
      }
      if (p.nodeName().isEmpty()) {
        throw new IllegalStateException("pod " + p.key() + " was never bound");
      }
      if (!seen.add(p.name())) {
        throw new IllegalStateException("pod " + p.key() + " seen twice");
      }
      String devices = p.annotations().get(Annotations.DEVICES_ALLOCATED);
      if (devices == null) {
        throw new IllegalStateException("pod " + p.key() + " bound without devices");
      }
      for (List<ContainerDevice> c :
          PodDevicesCodec.decode(Annotations.DEVICES_ALLOCATED, devices)) {
        for (ContainerDevice d : c) {
          if (!p.nodeName().equals(gpuNode.get(d.uuid()))) {
            throw new IllegalStateException(
                "pod "
                    + p.key()
                    + " on "
                    + p.nodeName()
                    + " got GPU "
                    + d.uuid()
                    + " of another node");
          }
          slots.merge(d.uuid(), 1, Integer::sum);
          mem.merge(d.uuid(), d.usedMemMiB(), Integer::sum);
          cores.merge(d.uuid(), d.usedCores(), Integer::sum);
        }
      }
    }
    if (seen.size() != count) {
      throw new IllegalStateException(seen.size() + " of " + count + " " + prefix + "* pods bound");
    }
    for (var e : gpus.entrySet()) {
      String id = e.getKey();
      GpuDevice g = e.getValue();
      if (slots.get(id) > g.splitCount()
          || mem.get(id) > g.memoryMiB()
          || cores.get(id) > g.cores()) {
        throw new IllegalStateException(
            "GPU "
                + id
                + " over-committed: "
                + slots.get(id)
                + " slots, "
                + mem.get(id)
                + " MiB, "
                + cores.get(id)
                + " % cores");
      }
    }
    out.printf(
        Locale.ROOT,
        "  verified: %d %s* pods bound once each, no GPU over-committed (slots, memory, cores)%n",
        count,
        prefix);
  }

  /** CPU time of the extender's threads ({@code extender-io}, {@code extender-http-N}). */
  private static long serverCpuNanos() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("extender-")) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        sum += Math.max(0, t);
      }
    }
    return sum;
  }

  private static long processCpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static List<String> names(InMemoryCluster cluster) {
    return cluster.snapshot().nodes().stream().map(n -> n.node().name()).toList();
  }

  /**
   * The nodes one filter call offers. {@code --offer all} (the default, the worst case): every
   * node. {@code --offer kube-scheduler}: what a default kube-scheduler sends its extenders — it
   * stops its node search once {@code numFeasibleNodesToFind} nodes passed its own plugins
   * (percentageOfNodesToScore unset: max(100, n × (50 − n/125) %), 420 of 1,000 nodes) and starts
   * the next pod's search where this one stopped ({@code nextStartNodeIndex}); every node passes
   * the plugins here, as the extender manages all GPU resources.
   */
  private List<String> offer(List<String> names) {
    int n = names.size();
    if (offerAll || n < 100) {
      return names;
    }
    int percent = Math.max(5, 50 - n / 125);
    int count = Math.max(100, n * percent / 100);
    int start = nextStart.getAndUpdate(i -> (i + count) % n);
    var out = new ArrayList<String>(count);
    for (int i = 0; i < count; i++) {
      out.add(names.get((start + i) % n));
    }
    return out;
  }

  /** {@code names} as a JSON array, encoded once per distinct window (the starts cycle). */
  private byte[] namesJson(List<String> names) {
    return encodedWindows.computeIfAbsent(
        names.get(0) + "|" + names.size(),
        k -> {
          try {
            return wire.mapper().writeValueAsBytes(names);
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** filter → prioritize → bind until bound; records latencies. */
  private void schedule(int port, PodShape pod, List<String> names, Random random, Samples s) {
    String name = pod.name();
    for (int attempt = 0; attempt < 100; attempt++) {
      String node = choose(port, pod, names, random, s);
      if (node == null) {
        throw new IllegalStateException("no node fits " + name);
      }
      if (bind(port, name, node, s).ok()) {
        return;
      }
    }
    throw new IllegalStateException(name + " never bound");
  }

  /** filter + prioritize; a top-scored node, random among ties; null when none fits. */
  private String choose(int port, PodShape shape, List<String> names, Random random, Samples s) {
    if (lean) {
      return chooseLean(shape, random, s);
    }
    JsonNode pod = BenchPods.pod(shape.name(), shape.memMiB(), shape.cores());
    long t0 = System.nanoTime();
    ExtenderFilterResult f =
        wire.read(
            post(port, "filter", new ExtenderArgs(pod, null, offer(names))),
            ExtenderFilterResult.class);
    long t1 = System.nanoTime();
    s.filter.add(t1 - t0);
    if (f.nodeNames() == null || f.nodeNames().isEmpty()) {
      return null;
    }
    List<HostPriority> p =
        wire.readPriorities(post(port, "prioritize", new ExtenderArgs(pod, null, f.nodeNames())));
    s.prioritize.add(System.nanoTime() - t1);
    long top = p.stream().mapToLong(HostPriority::score).max().orElse(0);
    var best = p.stream().filter(h -> h.score() == top).toList();
    return best.get(random.nextInt(best.size())).host();
  }

  /** {@link #choose} through the lean client: same decisions, spliced bodies, scanned answers. */
  private String chooseLean(PodShape pod, Random random, Samples s) {
    long t0 = System.nanoTime();
    var f =
        offerAll
            ? leanClient.filter(pod.name(), pod.memMiB(), pod.cores())
            : leanClient.filter(pod.name(), pod.memMiB(), pod.cores(), namesJson(offer(allNames)));
    long t1 = System.nanoTime();
    s.filter.add(t1 - t0);
    if (f.count() == 0) {
      return null;
    }
    var p = leanClient.prioritize(pod.name(), pod.memMiB(), pod.cores(), f);
    s.prioritize.add(System.nanoTime() - t1);
    long top = Long.MIN_VALUE;
    int ties = 0;
    for (var h : p) {
      if (h.score() > top) {
        top = h.score();
        ties = 1;
      } else if (h.score() == top) {
        ties++;
      }
    }
    int pick = random.nextInt(ties);
    for (var h : p) {
      if (h.score() == top && pick-- == 0) {
        return h.host();
      }
    }
    throw new IllegalStateException("prioritize answered no hosts for " + pod.name());
  }

  private ExtenderBindingResult bind(int port, String name, String node, Samples s) {
    long t0 = System.nanoTime();
    var r =
        lean
            ? new ExtenderBindingResult(leanClient.bind(name, node))
            : wire.read(
                post(port, "bind", new ExtenderBindingArgs(name, "bench", "uid-" + name, node)),
                ExtenderBindingResult.class);
    s.bind.add(System.nanoTime() - t0);
    if (!r.ok()) {
      synchronized (s) {
        s.refused++;
      }
    }
    return r;
  }

  private byte[] post(int port, String verb, Object body) {
    try {
      var r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + verb))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(wire.write(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(verb + ": HTTP " + r.statusCode());
      }
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException(verb + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A pending pod of {@link BenchPods#pod}'s shape. */
  private record PodShape(String name, int memMiB, int cores) {}

  /** Latencies per verb, in nanoseconds. */
  private static final class Samples {
    final Series filter = new Series();
    final Series prioritize = new Series();
    final Series bind = new Series();
    int refused;

    static Samples merge(List<Samples> all) {
      var m = new Samples();
      for (Samples s : all) {
        m.filter.addAll(s.filter);
        m.prioritize.addAll(s.prioritize);
        m.bind.addAll(s.bind);
        m.refused += s.refused;
      }
      return m;
    }

    void print(PrintStream out) {
      filter.print(out, "filter");
      prioritize.print(out, "prioritize");
      bind.print(out, "bind");
    }
  }

  private static final class Series {
    private long[] values = new long[1024];
    private int n;

    synchronized void add(long v) {
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = v;
    }

    synchronized void addAll(Series o) {
      for (int i = 0; i < o.n; i++) {
        add(o.values[i]);
      }
    }

    void print(PrintStream out, String verb) {
      long[] v = Arrays.copyOf(values, n);
      Arrays.sort(v);
      out.printf(
          Locale.ROOT,
          "  %-10s n=%5d  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n",
          verb,
          n,
          pct(v, 0.50),
          pct(v, 0.90),
          pct(v, 0.99),
          n == 0 ? 0 : v[n - 1] / 1e6);
    }

    private static double pct(long[] v, double q) {
      if (v.length == 0) {
        return 0;
      }
      return v[Math.min(v.length - 1, (int) Math.ceil(q * v.length) - 1)] / 1e6;
    }
  }
}
